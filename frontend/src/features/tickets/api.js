// The ticket endpoints. Hooks call these; nothing else knows their URLs.
import { API_URL, PAGE_SIZE } from '../../lib/config';
import { request } from '../../lib/apiClient';

/** Keep only the filters that are set, so the query string stays readable. */
export function filterParams(filters = {}) {
  const params = {};
  for (const key of ['category', 'priority', 'status', 'search']) {
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

export function getTicket(id, { signal } = {}) {
  return request({ method: 'get', url: `/tickets/${id}/`, signal });
}

export function createTicket(ticket) {
  return request({ method: 'post', url: '/tickets/', data: ticket });
}

export function updateTicket(id, changes) {
  return request({ method: 'patch', url: `/tickets/${id}/`, data: changes });
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
