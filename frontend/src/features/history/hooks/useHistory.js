import { useQuery } from '@tanstack/react-query';
import { listHistory } from '../api';
import { historyKeys } from '../queryKeys';
import { PREFETCH_FRESH_MS } from '../../../lib/queryClient';

export function historyQuery(ticketId) {
  return {
    queryKey: historyKeys.list(ticketId),
    queryFn: ({ signal }) => listHistory(ticketId, { signal }),
    enabled: ticketId != null,
    staleTime: PREFETCH_FRESH_MS,
    retryOnMount: false, // as ticketQuery's
  };
}

/** A ticket's history, oldest first. */
export function useHistory(ticketId) {
  return useQuery(historyQuery(ticketId));
}
