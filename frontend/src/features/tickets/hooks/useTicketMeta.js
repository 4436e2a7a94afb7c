import { useQuery } from '@tanstack/react-query';
import { getTicketMeta } from '../api';
import { ticketKeys } from '../queryKeys';

export const ticketMetaQuery = {
  queryKey: ticketKeys.meta(),
  queryFn: ({ signal }) => getTicketMeta({ signal }),
  staleTime: Infinity,
  gcTime: Infinity,
};

/**
 * The field choices and limits from GET /api/meta/. They change only with a
 * release of the API, so one successful load serves the whole visit.
 */
export function useTicketMeta() {
  return useQuery(ticketMetaQuery);
}

/** The loaded choices, or null while they load or when they could not be loaded. */
export function useChoices() {
  return useTicketMeta().data ?? null;
}
