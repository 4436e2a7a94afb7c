import { describe, expect, it } from 'vitest';
import { META } from '../../test/fixtures';
import { filtersToSearch, readFilters, ticketMatchesFilters } from './filters';

const ticket = {
  title: 'Twice charged',
  description: 'The card statement shows it',
  category: 'billing',
  priority: 'high',
  status: 'open',
};

describe('ticketMatchesFilters', () => {
  it('matches every search word in any order, as the API does', () => {
    expect(ticketMatchesFilters(ticket, { search: 'charged twice' })).toBe(true);
    expect(ticketMatchesFilters(ticket, { search: '  TWICE   statement ' })).toBe(true);
  });

  it('needs every word to match the title or the description', () => {
    expect(ticketMatchesFilters(ticket, { search: 'charged refund' })).toBe(false);
  });

  it('does not match a word that only spans the title and the description', () => {
    expect(ticketMatchesFilters(ticket, { search: 'chargedthe' })).toBe(false);
    expect(ticketMatchesFilters(ticket, { search: 'charged the' })).toBe(true);
  });

  it('applies the choice filters exactly', () => {
    expect(ticketMatchesFilters(ticket, { category: 'billing', status: 'open' })).toBe(true);
    expect(ticketMatchesFilters(ticket, { priority: 'low' })).toBe(false);
  });
});

describe('filters in the URL', () => {
  it('ignores values that are not choices', () => {
    expect(readFilters('?category=nonsense&priority=high&search=x', META)).toEqual({
      category: '',
      priority: 'high',
      status: '',
      search: 'x',
      assignee: '',
    });
  });

  it('keeps the assignee view (me, none or an id) and drops anything else', () => {
    expect(readFilters('?assignee=me', META).assignee).toBe('me');
    expect(readFilters('?assignee=none', META).assignee).toBe('none');
    expect(readFilters('?assignee=12', META).assignee).toBe('12');
    expect(readFilters('?assignee=everyone', META).assignee).toBe('');
    expect(filtersToSearch({ ...readFilters('?status=open', META), assignee: 'none' }, '?status=open')).toBe(
      '?status=open&assignee=none',
    );
  });

  it('keeps unrelated parameters when writing filters', () => {
    expect(filtersToSearch({ category: 'billing', priority: '', status: '', search: '' }, '?tab=2&priority=low')).toBe(
      '?tab=2&category=billing',
    );
  });
});
