import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { shortcutFor } from '../shortcuts';

const CARD = 'article[data-ticket-id]';

function cards(listRef) {
  return listRef.current ? [...listRef.current.querySelectorAll(CARD)] : [];
}

function focusCard(card) {
  if (!card) return;
  card.focus();
  card.scrollIntoView?.({ block: 'nearest' });
}

/**
 * j/k move focus between the tickets inside `listRef`, Enter opens the focused
 * one, x toggles its selection, / focuses the search, n the new-ticket form and
 * ? opens the shortcuts. Nothing happens while the agent types in a field.
 */
export function useQueueShortcuts(listRef, { onToggle, onHelp, enabled = true }) {
  const navigate = useNavigate();
  const location = useLocation();
  const latest = useRef({});
  useEffect(() => {
    latest.current = { onToggle, onHelp, navigate, search: location.search };
  });

  useEffect(() => {
    if (!enabled) return undefined;
    function onKeyDown(event) {
      // Escape leaves the search box, so j/k work again without the mouse.
      if (event.key === 'Escape' && event.target?.matches?.('[role="search"] input[type="search"]')) {
        event.preventDefault(); // keeps the search (a search box clears itself on Escape)
        event.target.blur();
        return;
      }
      const key = shortcutFor(event);
      if (!key) return;
      const all = cards(listRef);
      const current = document.activeElement?.closest?.(CARD) || null;
      const index = current ? all.indexOf(current) : -1;
      const { onToggle: toggle, onHelp: help, navigate: go, search } = latest.current;

      if (key === 'j' || key === 'k') {
        if (all.length === 0) return;
        event.preventDefault();
        const next = key === 'j' ? Math.min(index + 1, all.length - 1) : Math.max(index - 1, 0);
        focusCard(all[index === -1 ? 0 : next]);
      } else if (key === 'Enter') {
        // Only a focused card; Enter on a link or button inside it does its own thing.
        if (!current || document.activeElement !== current) return;
        event.preventDefault();
        go(`/tickets/${current.dataset.ticketId}`, { state: { queueSearch: search } });
      } else if (key === 'x') {
        if (!current) return;
        event.preventDefault();
        toggle?.(Number(current.dataset.ticketId));
      } else if (key === '/') {
        const field = document.querySelector('[role="search"] input[type="search"]');
        if (!field) return;
        event.preventDefault();
        field.focus();
      } else if (key === 'n') {
        const field = document.querySelector('.layout__form form input, .layout__form form textarea');
        if (!field) return;
        event.preventDefault();
        field.scrollIntoView?.({ block: 'center' });
        field.focus();
      } else if (key === '?') {
        event.preventDefault();
        help?.();
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled, listRef]);
}
