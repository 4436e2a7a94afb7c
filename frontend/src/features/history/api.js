// The history endpoint of a ticket.
import { request } from '../../lib/apiClient';
import { fetchAllPages } from '../../lib/pages';

/** A ticket's history entries, oldest first: { results, complete }. */
export function listHistory(ticketId, { signal } = {}) {
  return fetchAllPages((cursor) =>
    request({
      method: 'get',
      url: `/tickets/${ticketId}/history/`,
      params: cursor ? { page_size: 200, cursor } : { page_size: 200 },
      signal,
    }),
  );
}
