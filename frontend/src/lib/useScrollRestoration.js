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
  const holding = useRef(null);

  useEffect(() => {
    if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // Leaving the page shortens the document and scrolls it up; by then the
        // address is already the next page's, and that scroll is not this page's.
        if (`${window.location.pathname}${window.location.search}` !== key) return;
        // Nor is a scroll before this page's content came back: a fresh load (after a
        // reload or a sign-in) scrolls a still short document, and would overwrite the
        // position it is about to return to.
        if (restored.current !== key || holding.current) return;
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
    if (typeof y !== 'number' || y <= 0) return;
    window.scrollTo(0, y);
    if (typeof ResizeObserver === 'undefined') return;
    // Content that arrives or re-renders just after (live updates, a session check)
    // can shorten the page for a moment; hold the position until the agent scrolls
    // or a short while has passed, and record nothing meanwhile.
    holding.current?.();
    const hold = () => {
      if (Math.abs(window.scrollY - y) > 2) window.scrollTo(0, y);
    };
    const observer = new ResizeObserver(hold);
    observer.observe(document.body);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      for (const type of ['wheel', 'touchstart', 'keydown', 'mousedown']) window.removeEventListener(type, stop);
      if (holding.current === stop) holding.current = null;
    };
    const timer = setTimeout(stop, 1500);
    for (const type of ['wheel', 'touchstart', 'keydown', 'mousedown']) {
      window.addEventListener(type, stop, { passive: true });
    }
    holding.current = stop;
  }, [ready, key, navigationType]);

  useEffect(() => () => holding.current?.(), []);
}
