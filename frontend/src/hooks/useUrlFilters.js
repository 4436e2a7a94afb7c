import { useCallback, useEffect, useState } from 'react';
import { isChoice } from '../constants';

export const EMPTY_FILTERS = Object.freeze({ category: '', priority: '', status: '', search: '' });
const CHOICE_KEYS = ['category', 'priority', 'status'];

/** Read filters from a query string, ignoring values the API would reject. */
export function readFilters(search) {
  const params = new URLSearchParams(search);
  const filters = { ...EMPTY_FILTERS };
  for (const key of CHOICE_KEYS) {
    const value = params.get(key) || '';
    if (isChoice(key, value)) filters[key] = value;
  }
  filters.search = params.get('search') || '';
  return filters;
}

/** The query string for `filters`, keeping any unrelated parameters already there. */
export function filtersToSearch(filters, currentSearch = '') {
  const params = new URLSearchParams(currentSearch);
  for (const key of Object.keys(EMPTY_FILTERS)) {
    const value = filters[key];
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function hasActiveFilters(filters) {
  return Object.keys(EMPTY_FILTERS).some((key) => Boolean(filters[key] && String(filters[key]).trim()));
}

/**
 * The list filters, kept in the address bar so a filtered view can be bookmarked
 * and shared. Back/forward restore earlier filters.
 */
export function useUrlFilters() {
  const [filters, setFilters] = useState(() => readFilters(window.location.search));

  useEffect(() => {
    const onPopState = () => setFilters(readFilters(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  useEffect(() => {
    const { pathname, search, hash } = window.location;
    const nextSearch = filtersToSearch(filters, search);
    if (nextSearch !== search) {
      window.history.replaceState(window.history.state, '', `${pathname}${nextSearch}${hash}`);
    }
  }, [filters]);

  const updateFilters = useCallback((changes) => {
    setFilters((previous) => ({ ...previous, ...changes }));
  }, []);

  const clearFilters = useCallback(() => setFilters({ ...EMPTY_FILTERS }), []);

  return { filters, updateFilters, clearFilters };
}
