import { useQuery } from '@tanstack/react-query';
import { STATS_POLL_MS } from '../../../lib/config';
import { getStats, statsKeys } from '../api';

/**
 * Ticket statistics: fetched on mount, after every write (the write hooks
 * invalidate them), when the page becomes visible again and by polling while
 * it is visible. The last good numbers stay on screen while a refresh runs or
 * fails. status: 'loading' | 'ready' | 'error'.
 */
export function useStats({ pollMs = STATS_POLL_MS } = {}) {
  const query = useQuery({
    queryKey: statsKeys.all,
    queryFn: ({ signal }) => getStats({ signal }),
    refetchInterval: pollMs > 0 ? pollMs : false,
    refetchOnWindowFocus: true,
  });
  let status = 'loading';
  if (!query.isFetching && query.isError) status = 'error';
  else if (!query.isFetching && query.isSuccess) status = 'ready';
  return {
    stats: query.data ?? null,
    status,
    error: query.error,
    updatedAt: query.dataUpdatedAt ? new Date(query.dataUpdatedAt) : null,
    dataUpdatedAt: query.dataUpdatedAt,
    refresh: query.refetch,
  };
}
