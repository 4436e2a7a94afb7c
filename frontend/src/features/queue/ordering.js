// The list's sort orders, as the API names them, and how they live in the URL.
export const DEFAULT_ORDERING = '-created_at';

export const ORDERINGS = Object.freeze([
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-priority', label: 'Priority (critical first)' },
  { value: '-updated_at', label: 'Recently updated' },
]);

export function isOrdering(value) {
  return ORDERINGS.some((o) => o.value === value);
}

/** The ordering in a query string; unknown or missing values read as the default. */
export function readOrdering(search) {
  const value = new URLSearchParams(search).get('ordering') || '';
  return isOrdering(value) ? value : DEFAULT_ORDERING;
}

/** What the list request sends for `ordering`: '' for the default. */
export function orderingParam(ordering) {
  return ordering === DEFAULT_ORDERING ? '' : ordering;
}

/** The query string with `ordering` set; the default is left out of the URL. */
export function orderingToSearch(ordering, currentSearch = '') {
  const params = new URLSearchParams(currentSearch);
  if (ordering && ordering !== DEFAULT_ORDERING && isOrdering(ordering)) params.set('ordering', ordering);
  else params.delete('ordering');
  const query = params.toString();
  return query ? `?${query}` : '';
}
