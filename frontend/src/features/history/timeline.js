// One timeline of a ticket: its comments and its history entries, newest last.
import { labelFor } from '../tickets/choices';

const FIELD_LABELS = {
  title: 'Title',
  description: 'Description',
  category: 'Category',
  priority: 'Priority',
  status: 'Status',
  assignee: 'Assignee',
};
const FIELD_ORDER = Object.keys(FIELD_LABELS);
const VIA_LABELS = { api: 'API', admin: 'admin', bulk: 'bulk update', system: 'system' };
const TEXT_PREVIEW = 80;

function time(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Comments and history entries in one list, oldest first (newest last), by
 * time; at the same instant history comes before comments, and each keeps its
 * own order. Items: { kind: 'comment' | 'change', key, at, item }.
 */
export function mergeTimeline(comments = [], history = []) {
  const items = [
    ...history.map((entry, index) => ({
      kind: 'change',
      key: `h${entry.id}`,
      at: entry.at,
      item: entry,
      rank: 0,
      index,
    })),
    ...comments.map((comment, index) => ({
      kind: 'comment',
      key: `c${comment.id}`,
      at: comment.created_at,
      item: comment,
      rank: 1,
      index,
    })),
  ];
  items.sort((a, b) => time(a.at) - time(b.at) || a.rank - b.rank || a.index - b.index);
  return items.map(({ kind, key, at, item }) => ({ kind, key, at, item }));
}

/** Who did it: the agent's name, else how ("API", "admin", "system"). */
export function actorLabel(entry) {
  if (entry.actor) return entry.actor.name || `Agent #${entry.actor.id}`;
  return VIA_LABELS[entry.via] || entry.via || 'system';
}

function shorten(text) {
  const value = String(text);
  return value.length > TEXT_PREVIEW ? `${value.slice(0, TEXT_PREVIEW).trimEnd()}…` : value;
}

/** A field's value as a person reads it. */
export function valueLabel(field, value, { meta, agentName } = {}) {
  if (value == null || value === '') return field === 'assignee' ? 'Unassigned' : '(none)';
  if (field === 'assignee') return agentName ? agentName(value) : `Agent #${value}`;
  if (field === 'category' || field === 'priority' || field === 'status') return labelFor(meta, field, value);
  if (field === 'title' || field === 'description') return `“${shorten(value)}”`;
  return shorten(typeof value === 'object' ? JSON.stringify(value) : value);
}

/**
 * The lines of one history entry: [{ field, label, text }], e.g.
 * "Priority: Low -> High". The creation entry lists the starting values.
 */
export function describeChanges(entry, options = {}) {
  const changes = entry.changes || {};
  const fields = Object.keys(changes).sort(
    (a, b) => (FIELD_ORDER.indexOf(a) + 1 || 99) - (FIELD_ORDER.indexOf(b) + 1 || 99),
  );
  return fields.map((field) => {
    const [oldValue, newValue] = changes[field] || [];
    const label = FIELD_LABELS[field] || field;
    const text = isCreation(entry)
      ? `${label}: ${valueLabel(field, newValue, options)}`
      : `${label}: ${valueLabel(field, oldValue, options)} -> ${valueLabel(field, newValue, options)}`;
    return { field, label, text };
  });
}

/** The creation entry: it sets the title, and every old value is null. */
export function isCreation(entry) {
  const changes = entry.changes || {};
  return (
    Array.isArray(changes.title) && Object.values(changes).every((pair) => Array.isArray(pair) && pair[0] === null)
  );
}
