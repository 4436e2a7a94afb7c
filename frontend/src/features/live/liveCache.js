// Applies the event stream to the TanStack Query cache: what other agents (or
// scripts, or the admin) change shows where it is already on screen.
import { commentKeys } from '../comments/queryKeys';
import { historyKeys } from '../history/queryKeys';
import { statsKeys } from '../stats/api';
import { ticketMatchesFilters } from '../tickets/filters';
import { ticketKeys } from '../tickets/queryKeys';

// The comments and history of a ticket page.
export const commentsKey = commentKeys.list;
export const historyKey = historyKeys.list;

/** The mark a cached ticket carries once it no longer belongs in its list (left as it is until a reload). */
export const LIVE_MARK = '__live';

/** "2026-02-17T10:30:00.120042Z" -> a number that orders to the microsecond (null when unreadable). */
export function timestampValue(value) {
  if (typeof value !== 'string') return null;
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}${match[3] || 'Z'}`);
  if (Number.isNaN(seconds)) return null;
  const micros = Number((match[2] || '').padEnd(6, '0').slice(0, 6));
  return seconds * 1000 + micros;
}

/** Whether `incoming` is not older than `cached` (by updated_at; unknown counts as newer). */
export function isNotOlder(incoming, cached) {
  const a = timestampValue(incoming?.updated_at);
  const b = timestampValue(cached?.updated_at);
  return a === null || b === null || a >= b;
}

function withoutEventFields(data) {
  const ticket = { ...data };
  delete ticket.changed;
  return ticket;
}

/** Fields of ticket `id` that the agent's own unsaved changes hold (they win until saved). */
function pendingFields(queryClient, id) {
  const fields = {};
  for (const mutation of queryClient.getMutationCache().findAll({ mutationKey: ticketKeys.update() })) {
    const variables = mutation.state.variables;
    if (mutation.state.status === 'pending' && variables?.id === id) Object.assign(fields, variables.changes);
  }
  return fields;
}

// Lists in another order than newest first (an `ordering` parameter) cannot
// place a ticket by its creation time: they reload instead.
function isNewestFirst(params) {
  return !params.ordering || params.ordering === '-created_at';
}

function listQueries(queryClient) {
  return queryClient.getQueryCache().findAll({ queryKey: ticketKeys.lists() });
}

function listTickets(data) {
  return (data?.pages || []).flatMap((page) => page.results);
}

function mapTickets(data, change) {
  return { ...data, pages: data.pages.map((page) => ({ ...page, results: page.results.map(change) })) };
}

function markOf(ticket, params) {
  if (ticket[LIVE_MARK]?.deleted) return ticket[LIVE_MARK];
  return ticketMatchesFilters(ticket, params) ? undefined : { unmatched: true };
}

function withMark(ticket, mark) {
  const next = { ...ticket };
  if (mark) next[LIVE_MARK] = mark;
  else delete next[LIVE_MARK];
  return next;
}

/** Sorts newest first as the API does: created_at, then id, both descending. */
function newerThan(a, b) {
  const ta = timestampValue(a.created_at) ?? 0;
  const tb = timestampValue(b.created_at) ?? 0;
  return ta !== tb ? ta > tb : a.id > b.id;
}

/** Put `ticket` where it belongs in a newest-first list, if it falls within the pages loaded. */
function insertInOrder(data, ticket, hasMore) {
  const pages = data.pages.map((page) => ({ ...page, results: [...page.results] }));
  for (const page of pages) {
    const index = page.results.findIndex((other) => newerThan(ticket, other));
    if (index >= 0) {
      page.results.splice(index, 0, ticket);
      return { ...data, pages };
    }
  }
  if (hasMore || pages.length === 0) return data;
  pages[pages.length - 1].results.push(ticket);
  return { ...data, pages };
}

/**
 * Creates the applier for one query client. `options`:
 * - isListAtTop(): whether the agent sees the top of the list (a new ticket is
 *   put there; otherwise it is counted as an arrival for the "new tickets" notice);
 * - onArrival(queryKey, ticket, loadNumber): a matching ticket not put in the list;
 * - refreshStats(): called for every change (throttle it).
 */
export function createLiveApplier(queryClient, { isListAtTop = () => true, onArrival, refreshStats } = {}) {
  function ticketCreated(ticket) {
    for (const query of listQueries(queryClient)) {
      const params = query.queryKey[2] || {};
      const data = query.state.data;
      if (!data?.pages?.length || !ticketMatchesFilters(ticket, params)) continue;
      if (listTickets(data).some((t) => t.id === ticket.id)) {
        ticketUpdatedInList(query, ticket);
        continue;
      }
      const shown = query.getObserversCount() > 0;
      if (!isNewestFirst(params) || (shown && !isListAtTop())) {
        onArrival?.(query.queryKey, ticket, data.pages[0]?.loadNumber ?? 0);
        if (!shown) queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true, refetchType: 'none' });
        continue;
      }
      queryClient.setQueryData(query.queryKey, (current) => {
        if (!current?.pages?.length) return current;
        const [first, ...rest] = current.pages;
        return { ...current, pages: [{ ...first, results: [ticket, ...first.results] }, ...rest] };
      });
    }
  }

  function ticketUpdatedInList(query, ticket) {
    const params = query.queryKey[2] || {};
    const pending = pendingFields(queryClient, ticket.id);
    queryClient.setQueryData(query.queryKey, (data) => {
      if (!data?.pages) return data;
      let found = false;
      const next = mapTickets(data, (t) => {
        if (t.id !== ticket.id) return t;
        found = true;
        if (!isNotOlder(ticket, t)) return t;
        const merged = { ...t, ...ticket, ...pending };
        return withMark(merged, markOf(merged, params));
      });
      if (found) return next;
      // A ticket that now matches the list's filters joins it in its place.
      if (!isNewestFirst(params) || !ticketMatchesFilters(ticket, params)) return data;
      const hasMore = Boolean(data.pages.at(-1)?.nextCursor);
      return insertInOrder(data, ticket, hasMore);
    });
  }

  function ticketUpdated(data) {
    const ticket = withoutEventFields(data);
    for (const query of listQueries(queryClient)) {
      if (query.state.data?.pages) ticketUpdatedInList(query, ticket);
    }
    const detailKey = ticketKeys.detail(ticket.id);
    const cached = queryClient.getQueryData(detailKey);
    if (cached && isNotOlder(ticket, cached)) {
      queryClient.setQueryData(detailKey, { ...cached, ...ticket, ...pendingFields(queryClient, ticket.id) });
      // A fresh read also brings the ticket's new version (ETag) for conditional saves.
      queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
    }
    queryClient.invalidateQueries({ queryKey: historyKey(ticket.id) });
  }

  function ticketDeleted({ id }) {
    for (const query of listQueries(queryClient)) {
      queryClient.setQueryData(query.queryKey, (data) =>
        data?.pages ? mapTickets(data, (t) => (t.id === id ? withMark(t, { deleted: true }) : t)) : data,
      );
    }
    queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id), exact: true });
  }

  function commentCreated(comment) {
    const key = commentsKey(comment.ticket);
    const cached = queryClient.getQueryData(key);
    if (!cached) return;
    const { ticket: _ticket, ...fields } = comment;
    if (Array.isArray(cached.results) && cached.complete !== false) {
      if (!cached.results.some((c) => c.id === fields.id)) {
        queryClient.setQueryData(key, { ...cached, results: [...cached.results, fields] });
      }
      return;
    }
    queryClient.invalidateQueries({ queryKey: key });
  }

  function reset() {
    queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
    queryClient.invalidateQueries({ queryKey: ['tickets', 'detail'] });
    queryClient.invalidateQueries({ queryKey: statsKeys.all });
    queryClient.invalidateQueries({ queryKey: commentKeys.all });
    queryClient.invalidateQueries({ queryKey: historyKeys.all });
  }

  /** Apply one event: `type` is the event's name, `data` its parsed JSON. */
  return function apply(type, data) {
    switch (type) {
      case 'ticket.created':
        ticketCreated(data);
        refreshStats?.();
        break;
      case 'ticket.updated':
        ticketUpdated(data);
        refreshStats?.();
        break;
      case 'ticket.deleted':
        ticketDeleted(data);
        refreshStats?.();
        break;
      case 'comment.created':
        commentCreated(data);
        break;
      case 'reset':
        reset();
        break;
      default:
        break;
    }
  };
}

/** Calls `fn` at most once per `ms`: at once when idle, else once at the end of the interval. */
export function createThrottle(
  fn,
  ms,
  { now = () => Date.now(), setTimer = setTimeout, clearTimer = clearTimeout } = {},
) {
  let last = -Infinity;
  let timer = null;
  const run = () => {
    timer = null;
    last = now();
    fn();
  };
  const throttled = () => {
    if (timer !== null) return;
    const wait = last + ms - now();
    if (wait <= 0) run();
    else timer = setTimer(run, wait);
  };
  throttled.cancel = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  return throttled;
}
