import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EMPTY_FILTERS, filtersNeedChoices, filtersToSearch, readFilters } from '../filters';

/**
 * The list filters, kept in the address bar so a filtered view can be bookmarked
 * and shared. A change replaces the current history entry, as typing in the
 * search box should not fill the Back button. `settled`: the filters will not change
 * when the choices arrive (they are in, or the address holds none they validate).
 */
export function useUrlFilters(meta) {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(() => readFilters(search, meta), [search, meta]);

  // Once the choices are known, drop values the API would reject from the address.
  useEffect(() => {
    if (!meta) return;
    const normalised = filtersToSearch(filters, search);
    if (normalised !== (search ? `?${search}` : '')) {
      setSearchParams(new URLSearchParams(normalised), { replace: true });
    }
  }, [meta, filters, search, setSearchParams]);

  const setFilters = useCallback(
    (next) => setSearchParams((current) => new URLSearchParams(filtersToSearch(next, current)), { replace: true }),
    [setSearchParams],
  );

  const updateFilters = useCallback((changes) => setFilters({ ...filters, ...changes }), [filters, setFilters]);
  const clearFilters = useCallback(() => setFilters(EMPTY_FILTERS), [setFilters]);

  const settled = Boolean(meta) || !filtersNeedChoices(search);
  return { filters, settled, updateFilters, clearFilters };
}
