import { lazy, Suspense } from 'react';
import { useParams } from 'react-router-dom';
import { useActivity } from '../../history/hooks/useActivity';
import { useTicket } from '../hooks/useTicket';
import { parseTicketId } from '../ticketId';

const TicketPage = lazy(() => import('./TicketPage'));

/**
 * `/tickets/:id`. The page's code is a chunk of its own; the ticket and its activity are
 * asked for while it downloads, not after.
 */
export default function TicketRoute() {
  const id = parseTicketId(useParams().id);
  useTicket(id);
  useActivity(id);
  return (
    <Suspense fallback={null}>
      <TicketPage />
    </Suspense>
  );
}
