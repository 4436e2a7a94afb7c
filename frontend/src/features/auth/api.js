// The sign-in, session and API token endpoints. Hooks call these; nothing else knows their URLs.
import { http, request } from '../../lib/apiClient';

/** A CSRF token for this browser's session (its cookie comes with the answer). */
export async function getCsrfToken() {
  const response = await http.get('/auth/csrf/');
  return response.data.csrf_token;
}

/** Resolves to { id, username, name, is_admin, csrf_token }. */
export function signIn({ username, password }) {
  return request({ method: 'post', url: '/auth/login/', data: { username, password } });
}

export function signOut() {
  return request({ method: 'post', url: '/auth/logout/' });
}

/** The signed-in agent, or an ApiError with status 401 when nobody is. */
export function getMe({ signal } = {}) {
  return request({ method: 'get', url: '/auth/me/', signal });
}

export function listTokens({ signal } = {}) {
  return request({ method: 'get', url: '/auth/tokens/', signal });
}

/** Resolves to the token with its `key`, which the API shows this once. */
export function createToken({ name, expiry = null }) {
  return request({ method: 'post', url: '/auth/tokens/', data: { name, expiry } });
}

export function revokeToken(id) {
  return request({ method: 'delete', url: `/auth/tokens/${id}/` });
}

/** The URLs whose 401 means "not signed in" rather than "sign in to continue". */
export const SESSION_URLS = ['/auth/me/', '/auth/login/', '/auth/csrf/'];
