// The browser's side of the session: the CSRF token that unsafe requests carry,
// and what happens when the API says the agent is not (or no longer) signed in.
import { getCsrfToken, SESSION_URLS } from './api';

const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
export const CSRF_HEADER = 'X-CSRFToken';
export const SIGN_IN_PATH = '/sign-in';

let csrfToken = null;
let pendingCsrfToken = null;
let unauthorizedHandler = null;
// A 401 that came before any handler was set (the first page's data is asked for before
// the app has rendered): the handler, once set, hears of it.
let unauthorizedMissed = false;

/** Remember the token the API gave (sign-in answers a fresh one). */
export function setCsrfToken(token) {
  csrfToken = token || null;
  pendingCsrfToken = null;
}

/** The token, fetched once and shared by concurrent requests. */
export function ensureCsrfToken() {
  if (csrfToken) return Promise.resolve(csrfToken);
  if (!pendingCsrfToken) {
    pendingCsrfToken = getCsrfToken()
      .then((token) => {
        csrfToken = token;
        return token;
      })
      .finally(() => {
        pendingCsrfToken = null;
      });
  }
  return pendingCsrfToken;
}

/** Called with no arguments whenever a request needs a signed-in agent. */
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler;
  if (unauthorizedMissed) {
    unauthorizedMissed = false;
    handler();
  }
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

function isCsrfFailure(error) {
  const detail = error?.response?.data?.detail;
  return error?.response?.status === 403 && typeof detail === 'string' && detail.startsWith('CSRF Failed');
}

function isSessionUrl(url = '') {
  return SESSION_URLS.some((path) => url.endsWith(path));
}

/**
 * Teach the API client the session: unsafe requests carry the CSRF token, a
 * request refused for a stale CSRF token is retried once with a fresh one, and
 * a 401 anywhere but the session endpoints asks the agent to sign in.
 */
export function installSession(http) {
  const requestId = http.interceptors.request.use(async (config) => {
    const method = (config.method || 'get').toLowerCase();
    if (UNSAFE_METHODS.has(method)) {
      const token = await ensureCsrfToken();
      config.headers.set(CSRF_HEADER, token);
    }
    return config;
  });
  const responseId = http.interceptors.response.use(undefined, async (error) => {
    const config = error?.config;
    if (config && isCsrfFailure(error) && !config.csrfRetried) {
      setCsrfToken(null);
      return http.request({ ...config, csrfRetried: true });
    }
    if (error?.response?.status === 401 && !isSessionUrl(config?.url)) {
      if (unauthorizedHandler) unauthorizedHandler();
      else unauthorizedMissed = true;
    }
    return Promise.reject(error);
  });
  return () => {
    http.interceptors.request.eject(requestId);
    http.interceptors.response.eject(responseId);
    setCsrfToken(null);
    unauthorizedMissed = false;
  };
}

/** Where to send the agent to sign in, remembering the page (with its filters) to come back to. */
export function signInLocation(location) {
  const here = `${location.pathname}${location.search || ''}${location.hash || ''}`;
  if (location.pathname === SIGN_IN_PATH) return null;
  return here === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(here)}`;
}

/** The page to return to after signing in: only a path inside this app. */
export function safeNextPath(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/';
  }
  return next.startsWith(SIGN_IN_PATH) ? '/' : next;
}
