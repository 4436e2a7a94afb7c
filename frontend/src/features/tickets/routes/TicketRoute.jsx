import { lazy, Suspense } from 'react';
import { useParams } from 'react-router-dom';
import { useAgents } from '../../agents/hooks/useAgents';
import { useActivity } from '../../history/hooks/useActivity';
import { useTicket } from '../hooks/useTicket';
import { useTicketMeta } from '../hooks/useTicketMeta';
import { parseTicketId } from '../ticketId';

const TicketPage = lazy(() => import('./TicketPage'));

/**
 * `/tickets/:id`. The page's code is a chunk of its own; the ticket, its activity, the
 * choices and the agents' names (which its fields and timeline show) are asked for while it
 * downloads, not after.
 */
export default function TicketRoute() {
  const id = parseTicketId(useParams().id);
  useTicket(id);
  useActivity(id);
  useTicketMeta();
  useAgents();
  return (
    <Suspense fallback={null}>
      <TicketPage />
    </Suspense>
  );
}
