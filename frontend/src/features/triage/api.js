// The triage endpoints. Hooks call these; nothing else knows their URLs.
import { request } from '../../lib/apiClient';

// The API compares at most this many characters of a text.
export const SIMILAR_TEXT_MAX_CHARS = 2000;

/** Up to 5 past tickets like `text`, best first: [{ id, title, category, priority, status, created_at, score }]. */
export function getSimilarTickets(text, { signal } = {}) {
  return request({
    method: 'get',
    url: '/tickets/similar/',
    params: { text: text.slice(0, SIMILAR_TEXT_MAX_CHARS) },
    signal,
  });
}

/** How the AI suggestions of the last `days` days fared (GET /api/triage/stats/). */
export function getTriageStats(days, { signal } = {}) {
  return request({ method: 'get', url: '/triage/stats/', params: { days }, signal });
}
