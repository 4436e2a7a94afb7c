import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { ticketKeys } from '../tickets/queryKeys';
import { LIVE_MARK, createLiveApplier, createThrottle, timestampValue } from './liveCache';

const ticket = (id, fields = {}) => ({
  id,
  title: `Ticket ${id}`,
  description: 'Printer is on fire',
  category: 'technical',
  priority: 'high',
  status: 'open',
  assignee: null,
  created_at: `2026-02-17T10:00:${String(id).padStart(2, '0')}Z`,
  updated_at: `2026-02-17T10:00:${String(id).padStart(2, '0')}Z`,
  ...fields,
});

function listData(tickets, { nextCursor = null, loadNumber = 1 } = {}) {
  return { pages: [{ results: tickets, nextCursor, loadNumber }], pageParams: [null] };
}

function setup({ params = {}, tickets = [ticket(2), ticket(1)], atTop = true, observed = true } = {}) {
  const queryClient = new QueryClient();
  const key = ticketKeys.list(params);
  queryClient.setQueryData(key, listData(tickets));
  if (observed) {
    // An observer, as a mounted list has.
    queryClient
      .getQueryCache()
      .find({ queryKey: key })
      .addObserver({ onQueryUpdate: () => {} });
  }
  const onArrival = vi.fn();
  const refreshStats = vi.fn();
  const apply = createLiveApplier(queryClient, { isListAtTop: () => atTop, onArrival, refreshStats });
  const listed = () => queryClient.getQueryData(key).pages.flatMap((page) => page.results);
  return { queryClient, key, apply, onArrival, refreshStats, listed };
}

describe('applying live events to the cache', () => {
  it('puts a new ticket matching the filters at the top of the list', () => {
    const { apply, listed, refreshStats } = setup({ params: { status: 'open' } });
    apply('ticket.created', ticket(3));
    expect(listed().map((t) => t.id)).toEqual([3, 2, 1]);
    expect(refreshStats).toHaveBeenCalledTimes(1);
  });

  it('leaves out a new ticket the filters exclude, by the API search rule', () => {
    const { apply, listed } = setup({ params: { search: 'printer fire', status: 'open' } });
    apply('ticket.created', ticket(3, { title: 'Fire alarm', description: 'nothing else' }));
    apply('ticket.created', ticket(4, { status: 'closed' }));
    apply('ticket.created', ticket(5, { title: 'PRINTER', description: 'on FIRE' }));
    expect(listed().map((t) => t.id)).toEqual([5, 2, 1]);
  });

  it('counts a new ticket as an arrival instead when the agent has scrolled down', () => {
    const { apply, listed, onArrival, key } = setup({ atTop: false });
    apply('ticket.created', ticket(3));
    expect(listed().map((t) => t.id)).toEqual([2, 1]);
    expect(onArrival).toHaveBeenCalledWith(key, expect.objectContaining({ id: 3 }), 1);
  });

  it('updates a changed ticket in place, in lists and on its page', () => {
    const { apply, listed, queryClient } = setup();
    queryClient.setQueryData(ticketKeys.detail(1), ticket(1));
    apply('ticket.updated', {
      ...ticket(1, { priority: 'low', updated_at: '2026-02-17T11:00:00.5Z' }),
      changed: ['priority'],
    });
    expect(listed().map((t) => [t.id, t.priority])).toEqual([
      [2, 'high'],
      [1, 'low'],
    ]);
    expect(listed()[1]).not.toHaveProperty('changed');
    expect(queryClient.getQueryData(ticketKeys.detail(1)).priority).toBe('low');
  });

  it('ignores an event older than the cached copy', () => {
    const { apply, listed } = setup({ tickets: [ticket(1, { updated_at: '2026-02-17T12:00:00.000002Z' })] });
    apply('ticket.updated', {
      ...ticket(1, { status: 'closed', updated_at: '2026-02-17T12:00:00.000001Z' }),
      changed: ['status'],
    });
    expect(listed()[0].status).toBe('open');
  });

  it('marks a ticket that no longer matches the filters and keeps it until a reload', () => {
    const { apply, listed } = setup({ params: { status: 'open' } });
    apply('ticket.updated', {
      ...ticket(2, { status: 'closed', updated_at: '2026-02-17T12:00:00Z' }),
      changed: ['status'],
    });
    expect(listed().map((t) => [t.id, t[LIVE_MARK]])).toEqual([
      [2, { unmatched: true }],
      [1, undefined],
    ]);
    apply('ticket.updated', {
      ...ticket(2, { status: 'open', updated_at: '2026-02-17T13:00:00Z' }),
      changed: ['status'],
    });
    expect(listed()[0][LIVE_MARK]).toBeUndefined();
  });

  it('marks a deleted ticket', () => {
    const { apply, listed } = setup();
    apply('ticket.deleted', { id: 1 });
    expect(listed()[1][LIVE_MARK]).toEqual({ deleted: true });
  });

  it('appends a new comment to the open ticket page', () => {
    const { apply, queryClient } = setup();
    queryClient.setQueryData(['comments', 1], { results: [{ id: 1, body: 'first' }], complete: true });
    apply('comment.created', { id: 2, body: 'second', author: null, created_at: '2026-02-17T12:00:00Z', ticket: 1 });
    apply('comment.created', { id: 2, body: 'second', author: null, created_at: '2026-02-17T12:00:00Z', ticket: 1 });
    expect(queryClient.getQueryData(['comments', 1]).results.map((c) => c.id)).toEqual([1, 2]);
  });

  it('reloads lists and statistics on reset', () => {
    const { apply, queryClient, key } = setup({ observed: false });
    queryClient.setQueryData(['stats'], { total_tickets: 2 });
    apply('reset', { reason: 'expired' });
    expect(queryClient.getQueryState(key).isInvalidated).toBe(true);
    expect(queryClient.getQueryState(['stats']).isInvalidated).toBe(true);
  });
});

describe('createThrottle', () => {
  it('runs at once, then at most once a second while calls keep coming', () => {
    let now = 0;
    const timers = [];
    const fn = vi.fn();
    const throttled = createThrottle(fn, 1000, {
      now: () => now,
      setTimer: (run, wait) => timers.push({ run, at: now + wait }),
      clearTimer: () => {},
    });
    throttled();
    expect(fn).toHaveBeenCalledTimes(1);
    now = 100;
    throttled();
    now = 500;
    throttled();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(timers).toHaveLength(1);
    expect(timers[0].at).toBe(1000);
    now = 1000;
    timers[0].run();
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

it('orders timestamps to the microsecond, with or without a fraction', () => {
  expect(timestampValue('2026-02-17T10:00:05Z')).toBeLessThan(timestampValue('2026-02-17T10:00:05.000001Z'));
  expect(timestampValue('2026-02-17T10:00:05.5+00:00')).toBe(timestampValue('2026-02-17T10:00:05.500000Z'));
});
