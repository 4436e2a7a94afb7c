import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { useAgents } from '../../agents/hooks/useAgents';
import { orderingParam, readOrdering } from '../../queue/ordering';
import { prefetchStats } from '../../stats/hooks/useStats';
import { filtersNeedChoices, listQuery, readFilters } from '../filters';
import { prefetchTicketList } from '../hooks/useTicketList';
import { useTicketMeta } from '../hooks/useTicketMeta';

const QueuePage = lazy(() => import('./QueuePage'));

/** The list the queue opens with for the address `search`, or null while that waits for the choices. */
function firstListQuery(search, meta) {
  if (!meta && filtersNeedChoices(search)) return null;
  const filters = readFilters(search, meta);
  return listQuery(filters, filters.search, orderingParam(readOrdering(search)));
}

/**
 * `/`. The queue's code is a chunk of its own, so the other pages do not download it; what
 * its first screen shows (the choices, the first page of the list, the statistics and the
 * agents' names) is asked for while it downloads.
 */
export default function QueueRoute() {
  const queryClient = useQueryClient();
  const { search } = useLocation();
  const meta = useTicketMeta().data;
  useAgents();
  // Only for the address the queue opens with: later changes are the page's to fetch.
  const [firstQuery] = useState(() => firstListQuery(search, meta));
  useEffect(() => {
    if (firstQuery) prefetchTicketList(queryClient, firstQuery);
    prefetchStats(queryClient);
  }, [queryClient, firstQuery]);
  return (
    <Suspense fallback={null}>
      <QueuePage />
    </Suspense>
  );
}
