import { useCallback, useMemo, useSyncExternalStore } from 'react';

// Where the queue's side panels stop collapsing behind buttons (styles.css uses the same width).
export const WIDE_LAYOUT = '(min-width: 860px)';

/** Whether `query` matches now; follows changes (a rotated phone, a resized window). */
export function useMediaQuery(query) {
  const list = useMemo(
    () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null),
    [query],
  );
  const subscribe = useCallback(
    (onChange) => {
      if (!list) return () => {};
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [list],
  );
  // Without matchMedia (tests, old browsers) everything is shown, as on a wide screen.
  const matches = () => (list ? list.matches : true);
  return useSyncExternalStore(subscribe, matches, matches);
}

/**
 * Whether a panel that collapses on narrow screens should build its content: always on
 * a wide screen, and on a narrow one once it is opened. Until then it stays unbuilt, so
 * a phone does not render (or fetch) what it does not show.
 */
export function useShownOnNarrow(open) {
  return useMediaQuery(WIDE_LAYOUT) || open;
}
