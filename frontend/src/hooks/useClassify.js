import { useCallback, useEffect, useRef, useState } from 'react';
import { classifyTicket, isCancelled } from '../api/client';

// Shorter descriptions carry too little for a useful suggestion.
export const MIN_CLASSIFY_LENGTH = 12;

const IDLE = { status: 'idle', suggestion: null, error: null };

/**
 * Suggested category and priority for a description. `classify` may be called
 * freely (on every pause in typing): it skips text it has already classified and
 * aborts a request that a newer one replaces. It never throws.
 */
export function useClassify() {
  const [state, setState] = useState(IDLE);
  const controllerRef = useRef(null);
  const lastTextRef = useRef('');

  const classify = useCallback((description) => {
    const text = (description || '').trim();
    if (text.length < MIN_CLASSIFY_LENGTH || text === lastTextRef.current) return;
    lastTextRef.current = text;
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setState((s) => ({ ...s, status: 'loading', error: null }));
    classifyTicket(text, { signal: controller.signal }).then(
      (result) => {
        if (controller.signal.aborted) return;
        setState({ status: 'done', suggestion: { ...result, forText: text }, error: null });
      },
      (error) => {
        if (isCancelled(error) || controller.signal.aborted) return;
        lastTextRef.current = ''; // let the next blur or pause try again
        setState((s) => ({ ...s, status: 'error', error }));
      },
    );
  }, []);

  const reset = useCallback(() => {
    controllerRef.current?.abort();
    lastTextRef.current = '';
    setState(IDLE);
  }, []);

  useEffect(() => () => controllerRef.current?.abort(), []);

  return { ...state, classify, reset };
}
