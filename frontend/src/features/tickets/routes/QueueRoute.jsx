import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { prefetchQueue } from '../../../prefetch';

const QueuePage = lazy(() => import('./QueuePage'));

/**
 * `/`. The queue's code is a chunk of its own, so the other pages do not download it; what
 * its first screen shows (the choices, the first page of the list, the statistics and the
 * agents' names) is asked for while it downloads.
 */
export default function QueueRoute() {
  const queryClient = useQueryClient();
  // Only for the address the queue opens with: later changes are the page's to fetch.
  const [firstSearch] = useState(useLocation().search);
  useEffect(() => {
    prefetchQueue(queryClient, firstSearch);
  }, [queryClient, firstSearch]);
  return (
    <Suspense fallback={null}>
      <QueuePage />
    </Suspense>
  );
}
