import { useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { statsKeys } from '../../stats/api';
import { createTicket, updateTicket } from '../api';
import { ticketMatchesFilters } from '../filters';
import { ticketKeys } from '../queryKeys';
import { findCachedTicket, patchCachedTicket, prependCachedTicket } from './ticketCache';

// After a write the statistics refetch; lists are marked stale without a
// refetch, so the list on screen keeps its order and the other filters' lists
// load fresh when next shown.
function invalidateAfterWrite(queryClient) {
  queryClient.invalidateQueries({ queryKey: statsKeys.all });
  queryClient.invalidateQueries({ queryKey: ticketKeys.lists(), refetchType: 'none' });
}

/** Create a ticket: `create(fields)` resolves to { ticket, visible } or rejects with an ApiError. */
export function useCreateTicket(activeFilters) {
  const queryClient = useQueryClient();
  const { mutateAsync } = useMutation({
    mutationFn: createTicket,
    onSuccess: (ticket) => {
      prependCachedTicket(queryClient, ticket);
      invalidateAfterWrite(queryClient);
    },
  });
  const create = useCallback(
    async (fields) => {
      const ticket = await mutateAsync(fields);
      return { ticket, visible: ticketMatchesFilters(ticket, activeFilters) };
    },
    [mutateAsync, activeFilters],
  );
  return { create };
}

function updatesOf(queryClient, id) {
  return queryClient.getMutationCache().findAll({
    mutationKey: ticketKeys.update(),
    predicate: (mutation) => mutation.state.variables?.id === id,
  });
}

/** Whether `variables` belong to the newest change of their ticket: an older answer must not undo a newer change. */
function isNewestUpdate(queryClient, variables) {
  return updatesOf(queryClient, variables.id).at(-1)?.state.variables === variables;
}

/**
 * Change a ticket's status or priority, shown at once (optimistic) and rolled
 * back, with a message on the ticket, when the save fails.
 * rowState: { [id]: { saving, error } } for the newest change of each ticket.
 */
export function useUpdateTicket() {
  const queryClient = useQueryClient();
  const { mutate } = useMutation({
    mutationKey: ticketKeys.update(),
    mutationFn: ({ id, changes }) => updateTicket(id, changes),
    onMutate: ({ id, changes }) => {
      const previous = findCachedTicket(queryClient, id) ?? queryClient.getQueryData(ticketKeys.detail(id));
      const rollback = previous ? Object.fromEntries(Object.keys(changes).map((key) => [key, previous[key]])) : null;
      patchCachedTicket(queryClient, id, changes);
      return { rollback };
    },
    onSuccess: (saved, variables) => {
      if (isNewestUpdate(queryClient, variables)) patchCachedTicket(queryClient, variables.id, saved);
    },
    onError: (_error, variables, context) => {
      if (context?.rollback && isNewestUpdate(queryClient, variables)) {
        patchCachedTicket(queryClient, variables.id, context.rollback);
      }
    },
    onSettled: (_data, _error, { id }) => {
      invalidateAfterWrite(queryClient);
      queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id), refetchType: 'none' });
    },
  });

  const updates = useMutationState({
    filters: { mutationKey: ticketKeys.update() },
    select: (mutation) => ({
      id: mutation.state.variables?.id,
      status: mutation.state.status,
      message: mutation.state.error?.message ?? '',
    }),
  });
  const rowState = useMemo(() => {
    const rows = {};
    for (const { id, status, message } of updates) {
      rows[id] = {
        saving: status === 'pending',
        error: status === 'error' ? `Couldn't save the change: ${message}` : null,
      };
    }
    return rows;
  }, [updates]);

  const update = useCallback((id, changes) => mutate({ id, changes }), [mutate]);

  const dismissError = useCallback(
    (id) => {
      const cache = queryClient.getMutationCache();
      for (const mutation of updatesOf(queryClient, id)) {
        if (mutation.state.status !== 'pending') cache.remove(mutation);
      }
    },
    [queryClient],
  );

  return { update, rowState, dismissError };
}
