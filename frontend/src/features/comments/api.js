// The comment endpoints of a ticket.
import { request } from '../../lib/apiClient';
import { fetchAllPages } from '../../lib/pages';

export const COMMENT_MAX_LENGTH = 10000;

/** A ticket's comments, oldest first: { results, complete }. */
export function listComments(ticketId, { signal } = {}) {
  return fetchAllPages((cursor) =>
    request({
      method: 'get',
      url: `/tickets/${ticketId}/comments/`,
      params: cursor ? { page_size: 200, cursor } : { page_size: 200 },
      signal,
    }),
  );
}

export function addComment(ticketId, body) {
  return request({ method: 'post', url: `/tickets/${ticketId}/comments/`, data: { body } });
}
