import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { statsKeys } from '../../stats/api';
import { ticketKeys } from '../../tickets/queryKeys';
import { bulkUpdate, countMatching, listAgents } from '../api';
import { filterParams } from '../../tickets/api';
import { queueKeys } from '../queryKeys';

/** How many tickets match `filters`; asked only while `enabled`. */
export function useMatchingCount(filters, { enabled = true } = {}) {
  const params = filterParams(filters);
  delete params.ordering;
  return useQuery({
    queryKey: queueKeys.count(params),
    queryFn: ({ signal }) => countMatching(params, { signal }),
    enabled,
  });
}

/** The active agents, for the assignee choice. */
export function useAgents({ enabled = true } = {}) {
  return useQuery({ queryKey: queueKeys.agents(), queryFn: ({ signal }) => listAgents({ signal }), enabled });
}

/**
 * A bulk change: `mutateAsync({ target, set })`. Afterwards the lists, the
 * ticket pages, the counts and the statistics are refreshed.
 */
export function useBulkUpdate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: queueKeys.bulk(),
    mutationFn: ({ target, set }) => bulkUpdate(target, set),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      queryClient.invalidateQueries({ queryKey: statsKeys.all });
    },
  });
}
