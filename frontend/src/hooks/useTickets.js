import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  createTicket as apiCreateTicket,
  filterParams,
  isCancelled,
  listTickets,
  updateTicket as apiUpdateTicket,
} from '../api/client';

/** Whether a ticket belongs in a list filtered by `filters` (mirrors the API's filters). */
export function ticketMatchesFilters(ticket, filters) {
  const params = filterParams(filters);
  for (const key of ['category', 'priority', 'status']) {
    if (params[key] && ticket[key] !== params[key]) return false;
  }
  if (params.search) {
    const needle = params.search.toLowerCase();
    const haystack = `${ticket.title} ${ticket.description}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

function appendUnique(existing, incoming) {
  const seen = new Set(existing.map((t) => t.id));
  return existing.concat(incoming.filter((t) => !seen.has(t.id)));
}

const INITIAL = {
  tickets: [],
  nextCursor: null,
  status: 'loading', // loading | ready | error
  error: null,
  loadingMore: false,
  loadMoreError: null,
};

/**
 * The ticket list for the given filters, a page at a time in the API's cursor
 * mode. Exposes create (the new ticket goes to the top) and optimistic update
 * (rolled back, with a per-ticket error, when the save fails).
 */
export function useTickets(filters) {
  const [state, setState] = useState(INITIAL);
  const [rowState, setRowState] = useState({}); // { [id]: { saving, error } }
  const [reloadKey, setReloadKey] = useState(0);

  const params = filterParams(filters);
  const filtersKey = JSON.stringify(params);
  const activeFilters = useMemo(() => JSON.parse(filtersKey), [filtersKey]);

  const stateRef = useRef(state);
  stateRef.current = state;
  const pageControllerRef = useRef(null);
  const loadingMoreRef = useRef(false);
  const updateSeqRef = useRef({});
  const [version, setVersion] = useState(0); // counts fresh loads of the first page

  useEffect(() => {
    const controller = new AbortController();
    pageControllerRef.current = controller;
    loadingMoreRef.current = false;
    setState((s) => ({ ...s, status: 'loading', error: null, loadingMore: false, loadMoreError: null }));
    listTickets({ filters: activeFilters, signal: controller.signal }).then(
      (page) => {
        setState({ ...INITIAL, status: 'ready', tickets: page.results, nextCursor: page.nextCursor });
        setVersion((v) => v + 1);
      },
      (error) => {
        if (isCancelled(error)) return;
        setState({ ...INITIAL, status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [activeFilters, reloadKey]);

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);

  const loadMore = useCallback(() => {
    const { nextCursor, status } = stateRef.current;
    if (!nextCursor || status !== 'ready' || loadingMoreRef.current) return;
    loadingMoreRef.current = true;
    // Share the first page's controller so a change of filters aborts this too.
    const controller = pageControllerRef.current;
    setState((s) => ({ ...s, loadingMore: true, loadMoreError: null }));
    listTickets({ filters: activeFilters, cursor: nextCursor, signal: controller?.signal }).then(
      (page) => {
        loadingMoreRef.current = false;
        setState((s) => ({
          ...s,
          tickets: appendUnique(s.tickets, page.results),
          nextCursor: page.nextCursor,
          loadingMore: false,
        }));
      },
      (error) => {
        if (isCancelled(error)) return;
        loadingMoreRef.current = false;
        setState((s) => ({ ...s, loadingMore: false, loadMoreError: error }));
      },
    );
  }, [activeFilters]);

  /** Create a ticket; resolves to { ticket, visible } or rejects with an ApiError. */
  const create = useCallback(async (fields) => {
    const ticket = await apiCreateTicket(fields);
    const visible = ticketMatchesFilters(ticket, activeFilters);
    if (visible) {
      setState((s) => ({ ...s, tickets: [ticket, ...s.tickets.filter((t) => t.id !== ticket.id)] }));
    }
    return { ticket, visible };
  }, [activeFilters]);

  /** Save changes to one ticket, showing them at once; resolves to the saved ticket or null. */
  const update = useCallback(async (id, changes) => {
    const previous = stateRef.current.tickets.find((t) => t.id === id);
    if (!previous) return null;
    const rollback = Object.fromEntries(Object.keys(changes).map((key) => [key, previous[key]]));
    const seq = (updateSeqRef.current[id] || 0) + 1;
    updateSeqRef.current[id] = seq;
    const isLatest = () => updateSeqRef.current[id] === seq;
    const patchTicket = (patch) => setState((s) => ({
      ...s,
      tickets: s.tickets.map((t) => (t.id === id ? { ...t, ...patch } : t)),
    }));

    patchTicket(changes);
    setRowState((r) => ({ ...r, [id]: { saving: true, error: null } }));
    try {
      const saved = await apiUpdateTicket(id, changes);
      if (isLatest()) {
        patchTicket(saved);
        setRowState((r) => ({ ...r, [id]: { saving: false, error: null } }));
      }
      return saved;
    } catch (error) {
      if (isLatest()) {
        patchTicket(rollback);
        setRowState((r) => ({
          ...r,
          [id]: { saving: false, error: `Couldn't save the change: ${error.message}` },
        }));
      }
      return null;
    }
  }, []);

  const dismissError = useCallback((id) => {
    setRowState((r) => ({ ...r, [id]: { ...r[id], error: null } }));
  }, []);

  return {
    ...state,
    hasMore: Boolean(state.nextCursor),
    version,
    rowState,
    reload,
    loadMore,
    create,
    update,
    dismissError,
  };
}
