import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { useParams } from 'react-router-dom';
import { prefetchTicket } from '../../../prefetch';
import { parseTicketId } from '../ticketId';

const TicketPage = lazy(() => import('./TicketPage'));

/**
 * `/tickets/:id`. The page's code is a chunk of its own; the ticket, its activity, the
 * choices and the agents' names (which its fields and timeline show) are asked for while it
 * downloads, not after.
 */
export default function TicketRoute() {
  const queryClient = useQueryClient();
  const id = parseTicketId(useParams().id);
  useEffect(() => {
    prefetchTicket(queryClient, id);
  }, [queryClient, id]);
  return (
    <Suspense fallback={null}>
      <TicketPage />
    </Suspense>
  );
}
