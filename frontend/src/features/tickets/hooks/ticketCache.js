import { ticketKeys } from '../queryKeys';
import { ticketMatchesFilters } from '../filters';

// Edits to the cached lists and ticket pages after a write, so what the agent
// sees follows at once without refetching every page.

function mapListTickets(data, change) {
  if (!data) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, results: page.results.map(change) })) };
}

/** Merge `fields` into ticket `id` wherever it is cached. */
export function patchCachedTicket(queryClient, id, fields) {
  queryClient.setQueriesData({ queryKey: ticketKeys.lists() }, (data) =>
    mapListTickets(data, (t) => (t.id === id ? { ...t, ...fields } : t)),
  );
  queryClient.setQueryData(ticketKeys.detail(id), (ticket) => (ticket ? { ...ticket, ...fields } : ticket));
}

/** The cached copy of ticket `id` from any list, or undefined. */
export function findCachedTicket(queryClient, id) {
  for (const [, data] of queryClient.getQueriesData({ queryKey: ticketKeys.lists() })) {
    for (const page of data?.pages || []) {
      const found = page.results.find((t) => t.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Put a new ticket at the top of every cached list whose filters it matches. */
export function prependCachedTicket(queryClient, ticket) {
  for (const query of queryClient.getQueryCache().findAll({ queryKey: ticketKeys.lists() })) {
    const params = query.queryKey[2] || {};
    if (!ticketMatchesFilters(ticket, params)) continue;
    // In these orders a new ticket does not go on top; the list refetches instead.
    if (['created_at', '-priority'].includes(params.ordering)) continue;
    queryClient.setQueryData(query.queryKey, (data) => {
      if (!data || data.pages.length === 0) return data;
      const [first, ...rest] = data.pages.map((page) => ({
        ...page,
        results: page.results.filter((t) => t.id !== ticket.id),
      }));
      return { ...data, pages: [{ ...first, results: [ticket, ...first.results] }, ...rest] };
    });
  }
}
