// The response headers the app's server sends with every answer. The API's
// origin comes from the same variable the build reads (REACT_APP_API_URL, same
// default), so the policy allows exactly the address baked into the bundle.
const DEFAULT_API_URL = 'http://localhost:8000';

function originOf(raw, fallback) {
  try {
    return new URL((raw || '').trim() || fallback).origin;
  } catch {
    return fallback ? new URL(fallback).origin : null;
  }
}

export function contentSecurityPolicy(env = {}) {
  const connect = ["'self'", originOf(env.REACT_APP_API_URL, DEFAULT_API_URL)];
  // A live-events stream may be served from its own origin; allow it only when configured.
  const events = env.REACT_APP_EVENTS_URL ? originOf(env.REACT_APP_EVENTS_URL, null) : null;
  if (events && !connect.includes(events)) connect.push(events);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(env = {}) {
  return {
    'Content-Security-Policy': contentSecurityPolicy(env),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
