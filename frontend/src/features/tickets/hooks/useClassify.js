import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { classifyTicket } from '../api';
import { ticketKeys } from '../queryKeys';

// Shorter descriptions carry too little for a useful suggestion.
export const MIN_CLASSIFY_LENGTH = 12;

/**
 * Suggested category and priority for a settled description: the form calls
 * `classify(text)` when the description loses focus and
 * `classify(text, { explicit: true })` from its "Suggest" button, never while
 * the agent types. Each text is sent at most once: a text already classified
 * is answered from the cache (kept for the page's life, never refetched), and
 * a failed one is tried again only on an explicit request. Each answer is a
 * recorded suggestion; `reset({ used: true })` after a ticket was created from
 * it forgets it, so the next ticket gets its own. It never throws.
 * status: 'idle' | 'loading' | 'done' | 'error'; suggestion: { category,
 * priority, isDefault, note, suggestionId, source, text }.
 */
export function useClassify() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  // Texts whose suggestion a ticket used. Their cached answer is dropped when
  // the text comes again (not at once: the form still observes it, and
  // dropping an observed query would fetch it again).
  const usedTexts = useRef(new Set());
  const query = useQuery({
    queryKey: ticketKeys.classify(text),
    queryFn: ({ signal }) => classifyTicket(text, { signal }),
    enabled: text !== '',
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    retryOnMount: false,
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  const classify = useCallback(
    (description, { explicit = false } = {}) => {
      const next = (description || '').trim();
      if (next.length < MIN_CLASSIFY_LENGTH) return;
      const key = ticketKeys.classify(next);
      if (usedTexts.current.delete(next)) queryClient.removeQueries({ queryKey: key, exact: true });
      if (explicit && queryClient.getQueryState(key)?.status === 'error') {
        queryClient.refetchQueries({ queryKey: key, exact: true }, { cancelRefetch: false });
      }
      setText(next);
    },
    [queryClient],
  );

  const reset = useCallback(
    ({ used = false } = {}) => {
      if (used && text) usedTexts.current.add(text);
      setText('');
    },
    [text],
  );

  let status = 'idle';
  if (text && query.isFetching) status = 'loading';
  else if (text && query.isError) status = 'error';
  else if (text && query.data) status = 'done';
  const suggestion = useMemo(() => (text && query.data ? { ...query.data, text } : null), [text, query.data]);

  return { status, text, suggestion, error: status === 'error' ? query.error : null, classify, reset };
}
