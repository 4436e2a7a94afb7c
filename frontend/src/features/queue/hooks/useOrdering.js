import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { orderingParam, orderingToSearch, readOrdering } from '../ordering';

/**
 * The list's sort order, kept in the address bar beside the filters (the
 * default is left out). `param` is what the list request sends: '' for the default.
 */
export function useOrdering() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const ordering = readOrdering(search);

  // An unknown or default value in the address is dropped from it.
  useEffect(() => {
    const normalised = orderingToSearch(ordering, search);
    if (normalised !== (search ? `?${search}` : '')) {
      setSearchParams(new URLSearchParams(normalised), { replace: true });
    }
  }, [ordering, search, setSearchParams]);

  const setOrdering = useCallback(
    (next) => setSearchParams((current) => new URLSearchParams(orderingToSearch(next, current)), { replace: true }),
    [setSearchParams],
  );

  return { ordering, param: orderingParam(ordering), setOrdering };
}
