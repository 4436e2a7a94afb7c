import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../../lib/apiClient';
import { installFakeHttp, jsonResponse } from '../../../test/fakeHttp';
import { renderWithProviders } from '../../../test/render';
import { installSession } from '../session';
import TokensPage, { expiryFromDate } from './TokensPage';

// Typing and role queries in jsdom are slow on a busy machine.
vi.setConfig({ testTimeout: 20000 });
configure({ asyncUtilTimeout: 5000 });

const fake = installFakeHttp();
let uninstall;
beforeEach(() => {
  uninstall = installSession(http);
});
afterEach(() => uninstall());

const KEY = 'a'.repeat(64);

function fakeTokenApi() {
  let tokens = [{ id: 1, name: 'old', created: '2026-01-02T10:00:00Z', expiry: null }];
  fake.respond = (config) => {
    if (config.url === '/auth/csrf/') return jsonResponse(config, 200, { csrf_token: 't' });
    if (config.url === '/auth/tokens/' && config.method === 'get') return jsonResponse(config, 200, tokens);
    if (config.url === '/auth/tokens/' && config.method === 'post') {
      const body = JSON.parse(config.data);
      const token = { id: 2, name: body.name, created: '2026-01-03T10:00:00Z', expiry: body.expiry };
      tokens = [token, ...tokens];
      return jsonResponse(config, 201, { ...token, key: KEY });
    }
    if (config.method === 'delete') {
      tokens = tokens.filter((token) => `/auth/tokens/${token.id}/` !== config.url);
      return jsonResponse(config, 204, '');
    }
    return jsonResponse(config, 404, { detail: 'Not found.' });
  };
}

describe('the API tokens page', () => {
  it('shows a new key once, with a warning, and never keeps it', async () => {
    fakeTokenApi();
    const { queryClient, unmount } = renderWithProviders(<TokensPage />, { route: '/settings/tokens' });
    await screen.findByRole('row', { name: /old/ });

    const form = screen.getByRole('form', { name: 'New API token' });
    await userEvent.type(within(form).getByLabelText('Name'), 'ci');
    await userEvent.click(within(form).getByRole('button', { name: 'Create token' }));

    const shown = await screen.findByRole('region', { name: 'New token key' });
    expect(within(shown).getByLabelText('Token key')).toHaveTextContent(KEY);
    expect(shown).toHaveTextContent(/not shown again/);
    expect(within(shown).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    await screen.findByRole('row', { name: /ci/ });
    const post = fake.requests.find((entry) => entry.method === 'post');
    expect(JSON.parse(post.data)).toEqual({ name: 'ci', expiry: null });
    expect(post.headers.get('X-CSRFToken')).toBe('t');
    expect(
      JSON.stringify(
        queryClient
          .getQueryCache()
          .getAll()
          .map((query) => query.state.data),
      ),
    ).not.toContain(KEY);

    await userEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(KEY)).not.toBeInTheDocument();

    unmount();
    renderWithProviders(<TokensPage />, { route: '/settings/tokens', queryClient });
    await screen.findByRole('row', { name: /ci/ });
    expect(screen.queryByText(KEY)).not.toBeInTheDocument();
  });

  it('revokes a token', async () => {
    fakeTokenApi();
    renderWithProviders(<TokensPage />, { route: '/settings/tokens' });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke old' }));
    expect(await screen.findByText('You have no API tokens.')).toBeInTheDocument();
    expect(fake.requests.some((entry) => entry.method === 'delete' && entry.url === '/auth/tokens/1/')).toBe(true);
  });

  it('sends an expiry at the end of the chosen day', () => {
    expect(expiryFromDate('')).toBeNull();
    const iso = expiryFromDate('2030-05-17');
    const date = new Date(iso);
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours()]).toEqual([2030, 4, 17, 23]);
  });
});
