import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './headers.js';

const connectSrc = (policy) => policy.split('; ').find((part) => part.startsWith('connect-src'));

describe('the app server headers', () => {
  it('allow connections to the API origin only', () => {
    const policy = contentSecurityPolicy({ REACT_APP_API_URL: 'https://api.example.com:8443/base/' });
    expect(connectSrc(policy)).toBe("connect-src 'self' https://api.example.com:8443");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('use the same default API address as the build', () => {
    expect(connectSrc(contentSecurityPolicy({}))).toBe("connect-src 'self' http://localhost:8000");
  });

  it('add the live-events origin when one is configured', () => {
    const policy = contentSecurityPolicy({
      REACT_APP_API_URL: 'http://localhost:8000',
      REACT_APP_EVENTS_URL: 'http://localhost:8001/events/',
    });
    expect(connectSrc(policy)).toBe("connect-src 'self' http://localhost:8000 http://localhost:8001");
  });

  it('ignore an events address that is not a URL', () => {
    const policy = contentSecurityPolicy({ REACT_APP_EVENTS_URL: 'not a url' });
    expect(connectSrc(policy)).toBe("connect-src 'self' http://localhost:8000");
  });

  it('send the same protections as the API', () => {
    const headers = securityHeaders({});
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['Referrer-Policy']).toBe('same-origin');
  });
});
