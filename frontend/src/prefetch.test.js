import { describe, expect, it } from 'vitest';
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

describe('the first page', () => {
  it('asks for what the queue shows first, and for the agent in the header', () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/', search: '?search=printer' });
    expect(asked().sort()).toEqual(
      [
        '/api/agents/',
        '/api/auth/me/',
        '/api/meta/',
        '/api/tickets/?search=printer&page_size=50',
        '/api/tickets/stats/',
      ].sort(),
    );
  });

  it('leaves a list filtered by a choice to wait for the choices', () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/', search: '?status=open' });
    expect(asked().some((path) => path.startsWith('/api/tickets/?'))).toBe(false);
  });

  it('asks for the ticket, its activity, the choices and the agents on a ticket page', () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/tickets/7', search: '' });
    expect(asked().sort()).toEqual(
      [
        '/api/agents/',
        '/api/auth/me/',
        '/api/meta/',
        '/api/tickets/7/',
        '/api/tickets/7/comments/?page_size=200',
        '/api/tickets/7/history/?page_size=200',
      ].sort(),
    );
  });

  it('asks only for the agent elsewhere', () => {
    fake.respond = answer;
    prefetchPage(createQueryClient(), { pathname: '/sign-in', search: '' });
    expect(asked()).toEqual(['/api/auth/me/']);
  });
});
