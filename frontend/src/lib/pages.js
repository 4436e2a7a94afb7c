import { API_URL } from './config';

function cursorFromUrl(url) {
  if (!url) return null;
  try {
    return new URL(url, API_URL).searchParams.get('cursor');
  } catch {
    return null;
  }
}

/**
 * Every page of an oldest-first keyset list (comments, history), followed
 * through `next` up to `maxPages` pages. Resolves to { results, complete }.
 */
export async function fetchAllPages(fetchPage, { maxPages = 20 } = {}) {
  const results = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const data = await fetchPage(cursor);
    results.push(...data.results);
    cursor = cursorFromUrl(data.next);
    if (!cursor) return { results, complete: true };
  }
  return { results, complete: false };
}
