import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getTicket } from '../api';
import { ticketKeys } from '../queryKeys';
import { findCachedTicket } from './ticketCache';
import { PREFETCH_FRESH_MS } from '../../../lib/queryClient';

export function ticketQuery(id) {
  return {
    queryKey: ticketKeys.detail(id),
    queryFn: ({ signal }) => getTicket(id, { signal }),
    enabled: id != null,
    staleTime: PREFETCH_FRESH_MS,
    // The ticket page's route asks first (again, if that had failed): the page shows what that
    // brought, a 404 included, instead of asking twice.
    retryOnMount: false,
  };
}

/** One ticket by id; a copy already in a cached list shows while it loads. */
export function useTicket(id) {
  const queryClient = useQueryClient();
  return useQuery({ ...ticketQuery(id), placeholderData: () => findCachedTicket(queryClient, id) });
}
