import { useEffect, useRef } from 'react';
import { useLocation, useNavigationType } from 'react-router-dom';

const STORE_KEY = 'scroll-positions';

function readStore() {
  try {
    return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || '{}');
  } catch {
    return {};
  }
}

function writeStore(store) {
  try {
    window.sessionStorage.setItem(STORE_KEY, JSON.stringify(store));
  } catch {
    // Storage full or disabled: positions are a convenience only.
  }
}

/**
 * Remember the window's scroll position per address (path and query) while
 * this page is shown, and on Back/Forward return to it once `ready` (the content it scrolls
 * over is rendered, e.g. from the query cache) when the page is shown again.
 */
export function useScrollRestoration(ready) {
  const location = useLocation();
  const key = `${location.pathname}${location.search}`;
  const navigationType = useNavigationType();
  const restored = useRef(null);

  useEffect(() => {
    if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // Leaving the page shortens the document and scrolls it up; by then the
        // address is already the next page's, and that scroll is not this page's.
        if (`${window.location.pathname}${window.location.search}` !== key) return;
        writeStore({ ...readStore(), [key]: window.scrollY });
      });
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
    };
  }, [key]);

  useEffect(() => {
    if (!ready || restored.current === key) return;
    restored.current = key;
    // Only Back/Forward (and a reload) return to a position; a new visit starts at the top.
    if (navigationType !== 'POP') return;
    const y = readStore()[key];
    if (typeof y === 'number' && y > 0) window.scrollTo(0, y);
  }, [ready, key, navigationType]);
}
