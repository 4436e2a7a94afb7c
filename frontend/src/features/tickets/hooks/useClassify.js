import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { classifyTicket } from '../api';
import { ticketKeys } from '../queryKeys';

// Shorter descriptions carry too little for a useful suggestion.
export const MIN_CLASSIFY_LENGTH = 12;

/**
 * Suggested category and priority for a description. `classify` may be called
 * freely (on every pause in typing): a text already classified is answered from
 * the cache, a request for a replaced text is cancelled, and a failed one is
 * tried again on the next call. It never throws.
 * status: 'idle' | 'loading' | 'done' | 'error'.
 */
export function useClassify() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const query = useQuery({
    queryKey: ticketKeys.classify(text),
    queryFn: ({ signal }) => classifyTicket(text, { signal }),
    enabled: text !== '',
    staleTime: Infinity,
  });

  const classify = useCallback(
    (description) => {
      const next = (description || '').trim();
      if (next.length < MIN_CLASSIFY_LENGTH) return;
      const key = ticketKeys.classify(next);
      if (queryClient.getQueryState(key)?.status === 'error') {
        queryClient.refetchQueries({ queryKey: key, exact: true }, { cancelRefetch: false });
      }
      setText(next);
    },
    [queryClient],
  );

  const reset = useCallback(() => setText(''), []);

  let status = 'idle';
  if (text && query.isFetching) status = 'loading';
  else if (text && query.isError) status = 'error';
  else if (text && query.data) status = 'done';
  const suggestion = useMemo(() => (text && query.data ? query.data : null), [text, query.data]);

  return { status, suggestion, error: status === 'error' ? query.error : null, classify, reset };
}
