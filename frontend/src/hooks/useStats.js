import { useCallback, useEffect, useRef, useState } from 'react';
import { getStats, isCancelled } from '../api/client';
import { STATS_POLL_MS } from '../config';

/**
 * Ticket statistics, fetched on mount, on demand (`refresh`, after every change
 * the user makes) and by polling while the page is visible. The last good numbers
 * stay on screen while a refresh runs or fails.
 */
export function useStats({ pollMs = STATS_POLL_MS } = {}) {
  const [state, setState] = useState({ stats: null, status: 'loading', error: null, updatedAt: null });
  const controllerRef = useRef(null);

  const refresh = useCallback(() => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setState((s) => ({ ...s, status: 'loading' }));
    return getStats({ signal: controller.signal }).then(
      (stats) => {
        setState({ stats, status: 'ready', error: null, updatedAt: new Date() });
      },
      (error) => {
        if (isCancelled(error)) return;
        setState((s) => ({ ...s, status: 'error', error }));
      },
    );
  }, []);

  useEffect(() => {
    refresh();
    const timer = pollMs > 0
      ? setInterval(() => {
        if (document.visibilityState !== 'hidden') refresh();
      }, pollMs)
      : null;
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      if (timer) clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      controllerRef.current?.abort();
    };
  }, [refresh, pollMs]);

  return { ...state, refresh };
}
