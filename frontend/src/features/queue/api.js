// The queue's endpoints: bulk changes, exports, the matching count and the agents.
// Hooks and components call these; nothing else knows their URLs.
import { http, request } from '../../lib/apiClient';
import { filterParams } from '../tickets/api';

export const EXPORT_FORMATS = Object.freeze([
  { value: 'csv', label: 'CSV' },
  { value: 'jsonl', label: 'JSON Lines' },
]);

/** The list's filters and ordering as query parameters (the default ordering left out). */
export function viewParams(filters = {}, ordering = '') {
  const params = filterParams(filters);
  delete params.ordering;
  if (ordering && ordering !== '-created_at') params.ordering = ordering;
  return params;
}

/**
 * Change every ticket in `target` ({ ids } or { filter }) with `set`
 * ({ status?, priority?, category?, assignee? }). Resolves to { updated }.
 */
export function bulkUpdate(target, set) {
  const body = { set };
  if (target.filter) {
    body.filter = filterParams(target.filter);
    delete body.filter.ordering;
  } else body.ids = target.ids;
  return request({ method: 'post', url: '/tickets/bulk/', data: body });
}

/** How many tickets match `filters` (an offset page of one gives the exact count). */
export async function countMatching(filters, { signal } = {}) {
  const data = await request({
    method: 'get',
    url: '/tickets/',
    params: { ...filterParams(filters), limit: 1 },
    signal,
  });
  return data.count;
}

/**
 * The address of a download of exactly this view. The browser fetches it as a
 * link (so it streams to disk and carries the session cookie) rather than
 * through a request held in memory.
 */
export function exportUrl({ filters, ordering, format = 'csv' } = {}) {
  return http.getUri({ url: '/tickets/export/', params: { ...viewParams(filters, ordering), format } });
}

/** The active agents, to assign tickets to. */
export async function listAgents({ signal } = {}) {
  const data = await request({ method: 'get', url: '/agents/', signal });
  return Array.isArray(data) ? data : data?.results || [];
}
