import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { listAgents } from '../api';
import { agentKeys } from '../queryKeys';

/** The name shown for agent `id`; an id not among the active agents reads "Agent #id". */
export function agentLabel(agents, id) {
  if (id == null || id === '') return 'Unassigned';
  const agent = (agents || []).find((a) => a.id === Number(id));
  return agent ? agent.name || agent.username : `Agent #${id}`;
}

export const agentsQuery = {
  queryKey: agentKeys.all,
  queryFn: ({ signal }) => listAgents({ signal }),
  staleTime: 5 * 60 * 1000,
};

/** The active agents (for assignment), shared by every select on the page. */
export function useAgents() {
  const query = useQuery(agentsQuery);
  const agents = useMemo(() => query.data || [], [query.data]);
  const nameOf = useCallback((id) => agentLabel(agents, id), [agents]);
  return { agents, nameOf, isLoading: query.isPending, error: query.error };
}
