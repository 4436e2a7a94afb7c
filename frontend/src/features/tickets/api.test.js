import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/apiClient';
import { classifyTicket, createTicket, cursorFromUrl, listTickets, updateTicket } from './api';
import { jsonResponse, installFakeHttp } from '../../test/fakeHttp';

const fake = installFakeHttp();

describe('listTickets', () => {
  it('asks for one cursor page with only the filters that are set', async () => {
    fake.respond = (config) =>
      jsonResponse(config, 200, {
        next: 'http://localhost:8000/api/tickets/?cursor=cD0yMDI2&page_size=50',
        previous: null,
        results: [{ id: 3 }],
      });
    const page = await listTickets({
      filters: { category: 'billing', priority: '', status: 'open', search: '  login ' },
    });
    const url = new URL(fake.requests[0].uri);
    expect(url.pathname).toBe('/api/tickets/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      category: 'billing',
      status: 'open',
      search: 'login',
      page_size: '50',
    });
    expect(page).toEqual({ results: [{ id: 3 }], nextCursor: 'cD0yMDI2' });
  });

  it('passes the cursor from the previous page', async () => {
    fake.respond = (config) => jsonResponse(config, 200, { next: null, previous: null, results: [] });
    const page = await listTickets({ filters: { priority: 'high' }, cursor: 'abc' });
    const url = new URL(fake.requests[0].uri);
    expect(url.searchParams.get('cursor')).toBe('abc');
    expect(url.searchParams.get('priority')).toBe('high');
    expect(page.nextCursor).toBeNull();
  });
});

describe('cursorFromUrl', () => {
  it('reads the cursor parameter and returns null at the end', () => {
    expect(cursorFromUrl('http://x/api/tickets/?page_size=50&cursor=a%2Bb')).toBe('a+b');
    expect(cursorFromUrl(null)).toBeNull();
  });
});

describe('ticket writes', () => {
  it('rejects a 400 with an ApiError carrying the field errors', async () => {
    fake.respond = (config) => jsonResponse(config, 400, { title: ['This field is required.'] });
    const error = await createTicket({}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.fieldErrors).toEqual({ title: 'This field is required.' });
  });

  it('uses the detail of a 404', async () => {
    fake.respond = (config) => jsonResponse(config, 404, { detail: 'Not found.' });
    const error = await updateTicket(99, { status: 'closed' }).catch((e) => e);
    expect(error.status).toBe(404);
    expect(error.message).toBe('Not found.');
    expect(fake.requests[0].method).toBe('patch');
    expect(new URL(fake.requests[0].uri).pathname).toBe('/api/tickets/99/');
  });
});

describe('classifyTicket', () => {
  it('returns the suggestion', async () => {
    fake.respond = (config) =>
      jsonResponse(config, 200, {
        suggested_category: 'billing',
        suggested_priority: 'high',
        suggestion_id: 41,
        source: 'llm',
      });
    await expect(classifyTicket('charged twice')).resolves.toEqual({
      category: 'billing',
      priority: 'high',
      isDefault: false,
      note: '',
      suggestionId: 41,
      source: 'llm',
    });
    expect(JSON.parse(fake.requests[0].data)).toEqual({ description: 'charged twice' });
  });

  it('marks the fallback answer as default values', async () => {
    fake.respond = (config) =>
      jsonResponse(config, 200, {
        suggested_category: 'general',
        suggested_priority: 'medium',
        note: 'Using default values (LLM unavailable)',
      });
    const result = await classifyTicket('anything at all');
    expect(result.isDefault).toBe(true);
  });
});
