import { useQuery } from '@tanstack/react-query';
import { configure, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes, useLocation } from 'react-router-dom';
import { http, request } from '../../lib/apiClient';
import { installFakeHttp, jsonResponse } from '../../test/fakeHttp';
import { renderWithProviders } from '../../test/render';
import SessionRedirect from './components/SessionRedirect';
import SignInPage from './routes/SignInPage';
import { installSession, safeNextPath, setUnauthorizedHandler, signInLocation } from './session';

// Typing and role queries in jsdom are slow on a busy machine.
vi.setConfig({ testTimeout: 20000 });
configure({ asyncUtilTimeout: 5000 });

const fake = installFakeHttp();
let uninstall;
beforeEach(() => {
  uninstall = installSession(http);
});
afterEach(() => uninstall());

const path = (entry) => new URL(entry.uri).pathname;
const csrfHeader = (entry) => entry.headers.get('X-CSRFToken');

describe('the CSRF token', () => {
  it('is fetched once and sent on unsafe requests only', async () => {
    fake.respond = (config) =>
      config.url === '/auth/csrf/' ? jsonResponse(config, 200, { csrf_token: 'first' }) : jsonResponse(config, 200, {});
    await request({ method: 'get', url: '/tickets/' });
    await Promise.all([
      request({ method: 'post', url: '/tickets/', data: {} }),
      request({ method: 'patch', url: '/tickets/1/', data: {} }),
    ]);
    await request({ method: 'delete', url: '/auth/tokens/3/' });

    expect(fake.requests.map(path)).toEqual([
      '/api/tickets/',
      '/api/auth/csrf/',
      '/api/tickets/',
      '/api/tickets/1/',
      '/api/auth/tokens/3/',
    ]);
    expect(csrfHeader(fake.requests[0])).toBeFalsy();
    expect(fake.requests.slice(2).map(csrfHeader)).toEqual(['first', 'first', 'first']);
    expect(fake.requests.every((entry) => entry.withCredentials === true)).toBe(true);
  });

  it('is replaced by the one sign-in answers', async () => {
    fake.respond = (config) => {
      if (config.url === '/auth/csrf/') return jsonResponse(config, 200, { csrf_token: 'anonymous' });
      if (config.url === '/auth/login/') return jsonResponse(config, 200, { id: 1, csrf_token: 'signed-in' });
      return jsonResponse(config, 200, {});
    };
    renderWithProviders(
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/" element={<p>Queue</p>} />
      </Routes>,
      { route: '/sign-in' },
    );
    await userEvent.type(screen.getByLabelText('Username'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'secret words');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Queue');
    await request({ method: 'post', url: '/tickets/', data: {} });

    const login = fake.requests.find((entry) => path(entry) === '/api/auth/login/');
    expect(csrfHeader(login)).toBe('anonymous');
    expect(csrfHeader(fake.requests.at(-1))).toBe('signed-in');
  });

  it('is fetched afresh and the request retried once after a CSRF 403', async () => {
    let tokens = 0;
    let attempts = 0;
    fake.respond = (config) => {
      if (config.url === '/auth/csrf/') return jsonResponse(config, 200, { csrf_token: `token-${++tokens}` });
      attempts += 1;
      if (attempts === 1) return jsonResponse(config, 403, { detail: 'CSRF Failed: CSRF token incorrect.' });
      return jsonResponse(config, 201, { id: 7 });
    };
    await expect(request({ method: 'post', url: '/tickets/', data: {} })).resolves.toEqual({ id: 7 });
    const posts = fake.requests.filter((entry) => path(entry) === '/api/tickets/');
    expect(posts.map(csrfHeader)).toEqual(['token-1', 'token-2']);
  });

  it('gives up after one retry', async () => {
    fake.respond = (config) =>
      config.url === '/auth/csrf/'
        ? jsonResponse(config, 200, { csrf_token: 'stale' })
        : jsonResponse(config, 403, { detail: 'CSRF Failed: CSRF token missing.' });
    const error = await request({ method: 'post', url: '/tickets/', data: {} }).catch((e) => e);
    expect(error.status).toBe(403);
    expect(fake.requests.filter((entry) => path(entry) === '/api/tickets/')).toHaveLength(2);
  });
});

describe('a 401', () => {
  it('asks to sign in, except from the session endpoints', async () => {
    const handler = vi.fn();
    const release = setUnauthorizedHandler(handler);
    fake.respond = (config) => jsonResponse(config, 401, { detail: 'Authentication credentials were not provided.' });
    await request({ method: 'get', url: '/auth/me/' }).catch(() => {});
    expect(handler).not.toHaveBeenCalled();
    const error = await request({ method: 'get', url: '/tickets/' }).catch((e) => e);
    expect(error.status).toBe(401);
    expect(handler).toHaveBeenCalledTimes(1);
    release();
  });

  it('that comes before any handler is set reaches the first one set', async () => {
    fake.respond = (config) => jsonResponse(config, 401, { detail: 'Authentication credentials were not provided.' });
    await request({ method: 'get', url: '/tickets/' }).catch(() => {});
    const handler = vi.fn();
    const release = setUnauthorizedHandler(handler);
    expect(handler).toHaveBeenCalledTimes(1);
    release();
    const next = vi.fn();
    setUnauthorizedHandler(next)();
    expect(next).not.toHaveBeenCalled();
  });

  function Where() {
    const location = useLocation();
    return <p data-testid="where">{`${location.pathname}${location.search}`}</p>;
  }

  function Tickets() {
    const tickets = useQuery({ queryKey: ['tickets'], queryFn: () => request({ url: '/tickets/' }) });
    return tickets.data ? <p>{tickets.data.count} tickets</p> : <p>Loading</p>;
  }

  it('goes to the sign-in page and back to the same page with its filters', async () => {
    let signedIn = false;
    fake.respond = (config) => {
      if (config.url === '/auth/csrf/') return jsonResponse(config, 200, { csrf_token: 't' });
      if (config.url === '/auth/login/') {
        signedIn = true;
        return jsonResponse(config, 200, { id: 1, username: 'ada', name: 'Ada', is_admin: false, csrf_token: 'u' });
      }
      if (!signedIn) return jsonResponse(config, 401, { detail: 'Authentication credentials were not provided.' });
      return jsonResponse(config, 200, { count: 3 });
    };
    renderWithProviders(
      <>
        <SessionRedirect />
        <Where />
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/" element={<Tickets />} />
        </Routes>
      </>,
      { route: '/?status=open&assignee=none' },
    );
    await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.getByTestId('where')).toHaveTextContent(
      `/sign-in?next=${encodeURIComponent('/?status=open&assignee=none')}`,
    );
    expect(screen.getByText('Sign in to continue.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Username'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'secret words');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('3 tickets');
    expect(screen.getByTestId('where')).toHaveTextContent('/?status=open&assignee=none');
  });

  it('shows a wrong password without leaving the page', async () => {
    fake.respond = (config) =>
      config.url === '/auth/login/'
        ? jsonResponse(config, 400, { detail: 'Wrong username or password.' })
        : jsonResponse(config, 200, { csrf_token: 't' });
    renderWithProviders(<SignInPage />, { route: '/sign-in?next=%2Fsettings%2Ftokens' });
    await userEvent.type(screen.getByLabelText('Username'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveValue(''));
  });
});

describe('where sign-in returns to', () => {
  it('remembers the page with its query string', () => {
    expect(signInLocation({ pathname: '/tickets/4', search: '?x=1', hash: '' })).toBe(
      '/sign-in?next=%2Ftickets%2F4%3Fx%3D1',
    );
    expect(signInLocation({ pathname: '/', search: '' })).toBe('/sign-in');
    expect(signInLocation({ pathname: '/sign-in', search: '?next=%2F' })).toBeNull();
  });

  it('only ever returns inside the app', () => {
    expect(safeNextPath('/?status=open')).toBe('/?status=open');
    expect(safeNextPath('https://evil.example/')).toBe('/');
    expect(safeNextPath('//evil.example/')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath('/sign-in?next=/')).toBe('/');
  });
});
