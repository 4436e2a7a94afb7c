// What a page shows first, asked for as early as possible: before the app's first render for
// the page a visit opens on (main.jsx), and while a page's code downloads when the agent goes
// to it (the routes). Each call is cheap when the data is already there or on its way.
import { matchPath } from 'react-router-dom';
import { agentsQuery } from './features/agents/hooks/useAgents';
import { meQuery } from './features/auth/hooks/useSession';
import { commentsQuery } from './features/comments/hooks/useComments';
import { historyQuery } from './features/history/hooks/useHistory';
import { orderingParam, readOrdering } from './features/queue/ordering';
import { prefetchStats } from './features/stats/hooks/useStats';
import { filtersNeedChoices, listQuery, readFilters } from './features/tickets/filters';
import { ticketQuery } from './features/tickets/hooks/useTicket';
import { prefetchTicketList } from './features/tickets/hooks/useTicketList';
import { ticketMetaQuery } from './features/tickets/hooks/useTicketMeta';
import { parseTicketId } from './features/tickets/ticketId';

export const TICKET_PATH = '/tickets/:id';

/** The list the queue opens with for the address `search`, or null while that waits for the choices. */
function firstListQuery(search, meta) {
  if (!meta && filtersNeedChoices(search)) return null;
  const filters = readFilters(search, meta);
  return listQuery(filters, filters.search, orderingParam(readOrdering(search)));
}

/**
 * The queue at `/` with the query string `search`: the first list and the choices (the cards
 * wait for both), the statistics, the agents. In that order: the first requests get the
 * connection the page opened ahead (index.html's preconnect).
 */
export function prefetchQueue(queryClient, search) {
  const query = firstListQuery(search, queryClient.getQueryData(ticketMetaQuery.queryKey));
  if (query) prefetchTicketList(queryClient, query);
  queryClient.prefetchQuery(ticketMetaQuery);
  prefetchStats(queryClient);
  queryClient.prefetchQuery(agentsQuery);
}

/** The ticket page: the ticket, its history and comments, the choices and the agents (in that order, as above). */
export function prefetchTicket(queryClient, id) {
  if (id == null) return;
  for (const query of [ticketQuery(id), historyQuery(id), commentsQuery(id), ticketMetaQuery, agentsQuery]) {
    queryClient.prefetchQuery(query);
  }
}

/** The page at `location` (its own data, then the agent in the header), before the app renders. */
export function prefetchPage(queryClient, { pathname, search }) {
  if (pathname === '/') prefetchQueue(queryClient, search);
  const ticket = matchPath(TICKET_PATH, pathname);
  if (ticket) prefetchTicket(queryClient, parseTicketId(ticket.params.id));
  queryClient.prefetchQuery(meQuery);
}
