import { filterParams } from './api';
import { CHOICE_FIELDS, isChoice } from './choices';

export const EMPTY_FILTERS = Object.freeze({ category: '', priority: '', status: '', search: '', assignee: '' });

// `me`, `none` or an agent's id, as the API's `?assignee=` takes.
const ASSIGNEE_PATTERN = /^(me|none|\d{1,12})$/;

/**
 * Whether the filters in a query string wait for the choices: a category, priority or status
 * there counts only once the choices say it is valid.
 */
export function filtersNeedChoices(search) {
  const params = new URLSearchParams(search);
  return CHOICE_FIELDS.some((key) => params.has(key));
}

/**
 * Read filters from a query string. Once the choices are known, values the API
 * would reject are ignored; before that they are kept as they are (nothing is
 * fetched until the choices arrive).
 */
export function readFilters(search, meta) {
  const params = new URLSearchParams(search);
  const filters = { ...EMPTY_FILTERS };
  for (const key of CHOICE_FIELDS) {
    const value = params.get(key) || '';
    if (!meta || isChoice(meta, key, value)) filters[key] = value;
  }
  filters.search = params.get('search') || '';
  const assignee = params.get('assignee') || '';
  filters.assignee = ASSIGNEE_PATTERN.test(assignee) ? assignee : '';
  return filters;
}

/** What the list asks the API for: the filters, the search applied so far and the order ('' for the default). */
export function listQuery(filters, search, ordering) {
  return {
    category: filters.category,
    priority: filters.priority,
    status: filters.status,
    search,
    assignee: filters.assignee,
    ordering,
  };
}

/** The query string for `filters`, keeping any unrelated parameters already there. */
export function filtersToSearch(filters, currentSearch = '') {
  const params = new URLSearchParams(currentSearch);
  for (const key of Object.keys(EMPTY_FILTERS)) {
    const value = filters[key];
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function hasActiveFilters(filters) {
  return Object.keys(EMPTY_FILTERS).some((key) => Boolean(filters[key] && String(filters[key]).trim()));
}

/**
 * Whether a ticket belongs in a list filtered by `filters`, by the API's rules:
 * each choice filter is an exact match, and every whitespace-separated word of
 * the search must appear, case-insensitively, in the title or the description.
 */
export function ticketMatchesFilters(ticket, filters) {
  const params = filterParams(filters);
  for (const key of CHOICE_FIELDS) {
    if (params[key] && ticket[key] !== params[key]) return false;
  }
  if (params.assignee) {
    const assignee = ticket.assignee ?? null;
    if (params.assignee === 'none' ? assignee !== null : assignee === null) return false;
    if (/^\d+$/.test(params.assignee) && String(assignee) !== params.assignee) return false;
  }
  if (params.search) {
    const title = (ticket.title || '').toLowerCase();
    const description = (ticket.description || '').toLowerCase();
    const words = params.search.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every((word) => title.includes(word) || description.includes(word));
  }
  return true;
}
