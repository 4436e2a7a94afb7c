import { configure, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../../lib/apiClient';
import { installFakeHttp, jsonResponse } from '../../../test/fakeHttp';
import { renderWithProviders } from '../../../test/render';
import { installSession } from '../session';
import QueueViews from './QueueViews';
import UserMenu from './UserMenu';

// Typing and role queries in jsdom are slow on a busy machine.
vi.setConfig({ testTimeout: 20000 });
configure({ asyncUtilTimeout: 5000 });

const fake = installFakeHttp();
let uninstall;
beforeEach(() => {
  uninstall = installSession(http);
});
afterEach(() => uninstall());

const ADA = { id: 4, username: 'ada', name: 'Ada Lovelace', is_admin: false };

describe('the account menu', () => {
  it('offers a sign-in link that returns here when nobody is signed in (open mode)', async () => {
    fake.respond = (config) => jsonResponse(config, 401, { detail: 'Authentication credentials were not provided.' });
    renderWithProviders(
      <>
        <UserMenu />
        <QueueViews assignee="" />
      </>,
      { route: '/?status=open' },
    );
    const link = await screen.findByRole('link', { name: 'Sign in' });
    expect(link).toHaveAttribute('href', '/sign-in?next=%2F%3Fstatus%3Dopen');
    expect(screen.getByRole('link', { name: 'Unassigned' })).toHaveAttribute('href', '/?status=open&assignee=none');
    expect(screen.queryByRole('link', { name: 'Assigned to me' })).not.toBeInTheDocument();
  });

  it('shows who is signed in and signs out', async () => {
    let signedIn = true;
    fake.respond = (config) => {
      if (config.url === '/auth/csrf/') return jsonResponse(config, 200, { csrf_token: 't' });
      if (config.url === '/auth/logout/') {
        signedIn = false;
        return jsonResponse(config, 204, '');
      }
      return signedIn ? jsonResponse(config, 200, ADA) : jsonResponse(config, 401, { detail: 'No.' });
    };
    renderWithProviders(
      <Routes>
        <Route
          path="/"
          element={
            <>
              <UserMenu />
              <QueueViews assignee="me" />
            </>
          }
        />
        <Route path="/sign-in" element={<p>Sign-in page</p>} />
      </Routes>,
    );
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Assigned to me' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'API tokens' })).toHaveAttribute('href', '/settings/tokens');

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('Sign-in page')).toBeInTheDocument();
    const logout = fake.requests.find((entry) => entry.url === '/auth/logout/');
    expect(logout.method).toBe('post');
    expect(logout.headers.get('X-CSRFToken')).toBe('t');
  });
});
