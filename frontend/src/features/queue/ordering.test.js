import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDERING, orderingToSearch, readOrdering } from './ordering';
import { exportUrl, viewParams } from './api';

describe('ordering in the URL', () => {
  it('reads a known ordering and falls back to newest first', () => {
    expect(readOrdering('?ordering=created_at')).toBe('created_at');
    expect(readOrdering('?ordering=-priority&status=open')).toBe('-priority');
    expect(readOrdering('?ordering=password')).toBe(DEFAULT_ORDERING);
    expect(readOrdering('')).toBe(DEFAULT_ORDERING);
  });

  it('keeps the filters and leaves the default out of the URL', () => {
    expect(orderingToSearch('created_at', '?status=open')).toBe('?status=open&ordering=created_at');
    expect(orderingToSearch('-created_at', '?status=open&ordering=created_at')).toBe('?status=open');
    expect(orderingToSearch('nonsense', '?ordering=created_at')).toBe('');
  });
});

describe('export link', () => {
  it('carries exactly the view: filters, search and ordering, CSV by default', () => {
    const url = new URL(
      exportUrl({ filters: { status: 'open', search: ' login ', category: '' }, ordering: 'created_at' }),
    );
    expect(url.pathname).toBe('/api/tickets/export/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'open',
      search: 'login',
      ordering: 'created_at',
      format: 'csv',
    });
  });

  it('asks for JSON Lines and leaves the default ordering out', () => {
    const url = new URL(exportUrl({ filters: {}, ordering: '-created_at', format: 'jsonl' }));
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'jsonl' });
    expect(viewParams({ priority: 'high' }, '-updated_at')).toEqual({ priority: 'high', ordering: '-updated_at' });
  });
});
