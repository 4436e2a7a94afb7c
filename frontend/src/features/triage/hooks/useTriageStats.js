import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { STATS_POLL_MS } from '../../../lib/config';
import { getTriageStats } from '../api';
import { triageKeys } from '../queryKeys';

// Triage figures change slowly: poll less often than the ticket counts.
export const TRIAGE_POLL_MS = STATS_POLL_MS * 4;

/**
 * The triage statistics for the last `days` days. They refresh after every
 * ticket write (their key sits under the statistics'), by polling, and when
 * the window regains focus. While another period loads, the last figures stay
 * on screen (marked as updating), so the panel keeps its size. Nothing is asked for
 * while `enabled` is false (the panel is closed on a narrow screen).
 * status: 'loading' | 'ready' | 'error'.
 */
export function useTriageStats(days, { pollMs = TRIAGE_POLL_MS, enabled = true } = {}) {
  const query = useQuery({
    enabled,
    queryKey: triageKeys.stats(days),
    queryFn: ({ signal }) => getTriageStats(days, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: pollMs > 0 ? pollMs : false,
    refetchOnWindowFocus: true,
  });
  let status = 'loading';
  if (!query.isFetching && query.isError) status = 'error';
  else if (!query.isFetching && query.isSuccess) status = 'ready';
  return {
    stats: query.data ?? null,
    // The figures shown belong to another period while the chosen one loads.
    isPlaceholder: query.isPlaceholderData,
    status,
    error: query.error,
    refresh: query.refetch,
  };
}
