// The ticket endpoints. Hooks call these; nothing else knows their URLs.
import { API_URL, PAGE_SIZE } from '../../lib/config';
import { request, requestWithHeaders } from '../../lib/apiClient';

/** Keep only the filters that are set, so the query string stays readable. */
export function filterParams(filters = {}) {
  const params = {};
  for (const key of ['category', 'priority', 'status', 'search', 'assignee', 'ordering']) {
    const value = typeof filters[key] === 'string' ? filters[key].trim() : filters[key];
    if (value) params[key] = value;
  }
  return params;
}

/** The cursor the API put in a page's `next` link, or null at the end. */
export function cursorFromUrl(url) {
  if (!url) return null;
  try {
    return new URL(url, API_URL).searchParams.get('cursor');
  } catch {
    return null;
  }
}

/**
 * One page of tickets in cursor mode, newest first.
 * Resolves to { results, nextCursor }.
 */
export async function listTickets({ filters, cursor, pageSize = PAGE_SIZE, signal } = {}) {
  const params = { ...filterParams(filters), page_size: pageSize };
  if (cursor) params.cursor = cursor;
  const data = await request({ method: 'get', url: '/tickets/', params, signal });
  return { results: data.results, nextCursor: cursorFromUrl(data.next) };
}

function headerOf(headers, name) {
  if (!headers) return undefined;
  return typeof headers.get === 'function' ? headers.get(name) : headers[name];
}

/** The ticket with `etag`: its version from the ETag header, for If-Match on the next edit. */
function withEtag(ticket, headers) {
  const etag = headerOf(headers, 'etag');
  return etag ? { ...ticket, etag } : ticket;
}

export async function getTicket(id, { signal } = {}) {
  const { data, headers } = await requestWithHeaders({ method: 'get', url: `/tickets/${id}/`, signal });
  return withEtag(data, headers);
}

/**
 * Change a ticket only if it is still at version `etag` (If-Match). On 412 the
 * ApiError carries `conflict`: the ticket as it is now (with its etag).
 */
export async function editTicket(id, changes, etag) {
  try {
    const { data, headers } = await requestWithHeaders({
      method: 'patch',
      url: `/tickets/${id}/`,
      data: changes,
      headers: etag ? { 'If-Match': etag } : {},
    });
    return withEtag(data, headers);
  } catch (error) {
    const response = error?.cause?.response;
    if (error?.status === 412 && response?.data?.ticket) {
      error.conflict = withEtag(response.data.ticket, response.headers);
    }
    throw error;
  }
}

export function createTicket(ticket) {
  return request({ method: 'post', url: '/tickets/', data: ticket });
}

export async function updateTicket(id, changes) {
  const { data, headers } = await requestWithHeaders({ method: 'patch', url: `/tickets/${id}/`, data: changes });
  return withEtag(data, headers);
}

/** The category, priority and status choices (value and label) and the title's length limit. */
export function getTicketMeta({ signal } = {}) {
  return request({ method: 'get', url: '/meta/', signal });
}

/**
 * Ask for a suggested category and priority.
 * Resolves to { category, priority, isDefault, note, suggestionId, source }:
 * isDefault is true when the API fell back to default values because the LLM
 * was unavailable; suggestionId (null if absent) links a ticket created from it.
 */
export async function classifyTicket(description, { signal } = {}) {
  const data = await request({
    method: 'post',
    url: '/tickets/classify/',
    data: { description },
    signal,
  });
  return {
    category: data.suggested_category,
    priority: data.suggested_priority,
    isDefault: Boolean(data.note),
    note: data.note || '',
    suggestionId: data.suggestion_id ?? null,
    source: data.source ?? null,
  };
}
