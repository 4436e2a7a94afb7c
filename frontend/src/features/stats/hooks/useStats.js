import { useQuery } from '@tanstack/react-query';
import { STATS_POLL_MS } from '../../../lib/config';
import { PREFETCH_FRESH_MS } from '../../../lib/queryClient';
import { getStats, statsKeys } from '../api';

const statsQuery = {
  queryKey: statsKeys.all,
  queryFn: ({ signal }) => getStats({ signal }),
  staleTime: PREFETCH_FRESH_MS,
};

/** Ask for the statistics before the queue's code has arrived (unless they are in already). */
export function prefetchStats(queryClient) {
  if (queryClient.getQueryData(statsKeys.all) === undefined) queryClient.prefetchQuery(statsQuery);
}

/**
 * Ticket statistics: fetched on mount, after every write (the write hooks
 * invalidate them), when the page becomes visible again and by polling while
 * it is visible. The last good numbers stay on screen while a refresh runs or
 * fails. status: 'loading' | 'ready' | 'error'.
 */
export function useStats({ pollMs = STATS_POLL_MS } = {}) {
  const query = useQuery({
    ...statsQuery,
    refetchInterval: pollMs > 0 ? pollMs : false,
    refetchOnWindowFocus: true,
    // The queue's route asks first (again, if that had failed): a failure it got stays shown.
    retryOnMount: false,
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
