import { describe, expect, it } from 'vitest';
import { META } from '../../test/fixtures';
import { actorLabel, describeChanges, mergeTimeline } from './timeline';

const created = {
  id: 1,
  at: '2026-03-01T10:00:00Z',
  actor: null,
  via: 'api',
  changes: { title: [null, 'Printer'], priority: [null, 'low'], status: [null, 'open'] },
};
const raised = {
  id: 2,
  at: '2026-03-01T11:00:00Z',
  actor: { id: 4, name: 'Ada Lovelace' },
  via: 'api',
  changes: { priority: ['low', 'high'] },
};
const assigned = { id: 3, at: '2026-03-01T12:00:00Z', actor: null, via: 'admin', changes: { assignee: [null, 4] } };
const comment = (id, at) => ({ id, at: undefined, created_at: at, body: `note ${id}`, author: null });

describe('mergeTimeline', () => {
  it('puts comments and history entries in one list, newest last', () => {
    const items = mergeTimeline(
      [comment(10, '2026-03-01T10:30:00Z'), comment(11, '2026-03-01T13:00:00Z')],
      [created, raised, assigned],
    );
    expect(items.map((i) => i.key)).toEqual(['h1', 'c10', 'h2', 'h3', 'c11']);
    expect(items[1]).toMatchObject({ kind: 'comment', at: '2026-03-01T10:30:00Z' });
  });

  it('keeps each source in its own order at the same instant, history first', () => {
    const same = '2026-03-01T11:00:00Z';
    const items = mergeTimeline([comment(21, same), comment(20, same)], [raised]);
    expect(items.map((i) => i.key)).toEqual(['h2', 'c21', 'c20']);
  });

  it('is empty without either', () => {
    expect(mergeTimeline()).toEqual([]);
  });
});

describe('describing changes', () => {
  it('reads a change as "Field: old -> new" with the choice labels', () => {
    expect(describeChanges(raised, { meta: META }).map((l) => l.text)).toEqual(['Priority: Low -> High']);
  });

  it('shows assignee ids as agent names, and unknown ids as "Agent #id"', () => {
    const names = { 4: 'Ada Lovelace' };
    const agentName = (id) => names[id] || `Agent #${id}`;
    expect(describeChanges(assigned, { agentName })[0].text).toBe('Assignee: Unassigned -> Ada Lovelace');
    const gone = { ...assigned, changes: { assignee: [4, 99] } };
    expect(describeChanges(gone, { agentName })[0].text).toBe('Assignee: Ada Lovelace -> Agent #99');
  });

  it('lists the starting values of the creation entry', () => {
    expect(describeChanges(created, { meta: META }).map((l) => l.text)).toEqual([
      'Title: “Printer”',
      'Priority: Low',
      'Status: Open',
    ]);
  });

  it('names the agent, or how the change was made', () => {
    expect(actorLabel(raised)).toBe('Ada Lovelace');
    expect(actorLabel(created)).toBe('API');
    expect(actorLabel(assigned)).toBe('admin');
    expect(actorLabel({ actor: null, via: 'system' })).toBe('system');
  });
});
