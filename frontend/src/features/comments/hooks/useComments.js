import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addComment, listComments } from '../api';
import { commentKeys } from '../queryKeys';
import { PREFETCH_FRESH_MS } from '../../../lib/queryClient';

export function commentsQuery(ticketId) {
  return {
    queryKey: commentKeys.list(ticketId),
    queryFn: ({ signal }) => listComments(ticketId, { signal }),
    enabled: ticketId != null,
    staleTime: PREFETCH_FRESH_MS,
    retryOnMount: false, // as ticketQuery's
  };
}

/** A ticket's comments, oldest first. */
export function useComments(ticketId) {
  return useQuery(commentsQuery(ticketId));
}

/** Add a comment; it is appended to the cached comments when saved. */
export function useAddComment(ticketId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body) => addComment(ticketId, body),
    onSuccess: (comment) => {
      queryClient.setQueryData(commentKeys.list(ticketId), (data) =>
        data ? { ...data, results: [...data.results.filter((c) => c.id !== comment.id), comment] } : data,
      );
      queryClient.invalidateQueries({ queryKey: commentKeys.list(ticketId), refetchType: 'none' });
    },
  });
}
