import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { historyKeys } from '../../history/queryKeys';
import { statsKeys } from '../../stats/api';
import { editTicket } from '../api';
import { ticketKeys } from '../queryKeys';
import { patchCachedTicket } from './ticketCache';

/**
 * Edit one ticket on its page. Each save sends If-Match with the ETag of the
 * last read; when someone else changed the ticket meanwhile (412) nothing is
 * written: `conflict` holds { mine: the changes not saved, current: the ticket
 * as it is now } until the agent re-applies or discards them.
 */
export function useEditTicket(id) {
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState(null);
  const { mutateAsync, isPending } = useMutation({
    mutationKey: ['tickets', 'edit', id],
    mutationFn: ({ changes, etag }) => editTicket(id, changes, etag),
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: historyKeys.list(id) });
      queryClient.invalidateQueries({ queryKey: statsKeys.all });
      queryClient.invalidateQueries({ queryKey: ticketKeys.lists(), refetchType: 'none' });
    },
  });

  const save = useCallback(
    async (changes) => {
      const etag = queryClient.getQueryData(ticketKeys.detail(id))?.etag;
      try {
        const saved = await mutateAsync({ changes, etag });
        patchCachedTicket(queryClient, id, saved);
        setConflict(null);
        return { ok: true, ticket: saved };
      } catch (error) {
        if (error?.conflict) {
          // Show what is true now, and keep the agent's changes aside.
          patchCachedTicket(queryClient, id, error.conflict);
          setConflict((previous) => ({ mine: { ...previous?.mine, ...changes }, current: error.conflict }));
          return { ok: false, conflict: true };
        }
        throw error;
      }
    },
    [id, mutateAsync, queryClient],
  );

  const reapply = useCallback(() => (conflict ? save(conflict.mine) : undefined), [conflict, save]);
  const discard = useCallback(() => setConflict(null), []);

  return { save, saving: isPending, conflict, reapply, discard };
}
