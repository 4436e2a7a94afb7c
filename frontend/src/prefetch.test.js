import { describe, expect, it, vi } from 'vitest';
import { createQueryClient } from './lib/queryClient';
import { prefetchPage } from './prefetch';
import { installFakeHttp, jsonResponse } from './test/fakeHttp';
import { META } from './test/fixtures';

const fake = installFakeHttp();
const asked = () => fake.requests.map((entry) => new URL(entry.uri)).map((url) => `${url.pathname}${url.search}`);

function answer(config) {
  if (config.url === '/meta/') return jsonResponse(config, 200, META);
  return jsonResponse(config, 200, { results: [], next: null });
}

async function expectAsked(location, paths) {
  fake.respond = answer;
  prefetchPage(createQueryClient(), location);
  await vi.waitFor(() => expect(asked()).toHaveLength(paths.length));
  expect(asked().sort()).toEqual([...paths].sort());
}

describe('the first page', () => {
  it('asks for what the queue shows first, and for the agent in the header', async () => {
    await expectAsked({ pathname: '/', search: '?search=printer' }, [
      '/api/agents/',
      '/api/auth/me/',
      '/api/meta/',
      '/api/tickets/?search=printer&page_size=50',
      '/api/tickets/stats/',
    ]);
  });

  it('leaves a list filtered by a choice to wait for the choices', async () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/', search: '?status=open' });
    await vi.waitFor(() => expect(asked()).toHaveLength(4));
    expect(asked().some((path) => path.startsWith('/api/tickets/?'))).toBe(false);
  });

  it('asks for the ticket, its activity, the choices and the agents on a ticket page', async () => {
    await expectAsked({ pathname: '/tickets/7', search: '' }, [
      '/api/agents/',
      '/api/auth/me/',
      '/api/meta/',
      '/api/tickets/7/',
      '/api/tickets/7/comments/?page_size=200',
      '/api/tickets/7/history/?page_size=200',
    ]);
  });

  it('asks only for the agent elsewhere', async () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/sign-in', search: '' });
    await vi.waitFor(() => expect(asked()).toEqual(['/api/auth/me/']));
  });
});
