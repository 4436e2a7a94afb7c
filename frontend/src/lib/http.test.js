import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttp, isCancel } from './http';

function answer(status, body, headers = { 'Content-Type': 'application/json' }) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}

function client(fetchMock) {
  vi.stubGlobal('fetch', fetchMock);
  return createHttp({
    baseURL: 'http://api.test/api',
    withCredentials: true,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('the HTTP client', () => {
  it('sends a GET with its query string and the cookies, and no Content-Type (no CORS preflight)', async () => {
    const fetchMock = vi.fn(async () => answer(200, { ok: true }));
    const http = client(fetchMock);
    const response = await http.request({ url: '/tickets/', params: { search: 'a b', cursor: null, page_size: 50 } });
    expect(response.data).toEqual({ ok: true });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://api.test/api/tickets/?search=a+b&page_size=50');
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('include');
    expect(Object.keys(init.headers)).toEqual(['Accept']);
  });

  it('sends data as JSON, with the headers of the call and of its interceptors', async () => {
    const fetchMock = vi.fn(async () => answer(201, { id: 1 }));
    const http = client(fetchMock);
    http.interceptors.request.use((config) => {
      config.headers.set('X-CSRFToken', 't');
      return config;
    });
    await http.request({ method: 'patch', url: '/tickets/1/', data: { a: 1 }, headers: { 'If-Match': '"v1"' } });
    const [, init] = fetchMock.mock.calls[0];
    expect(init.method).toBe('PATCH');
    expect(init.body).toBe('{"a":1}');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'If-Match': '"v1"', 'X-CSRFToken': 't' });
  });

  it('rejects a status outside 2xx with the response, and a failed exchange without one', async () => {
    const http = client(vi.fn(async () => answer(400, { title: ['Required.'] })));
    const error = await http.request({ method: 'post', url: '/tickets/', data: {} }).catch((e) => e);
    expect(error.response.status).toBe(400);
    expect(error.response.data).toEqual({ title: ['Required.'] });

    const offline = client(vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const failure = await offline.request({ url: '/tickets/' }).catch((e) => e);
    expect(failure.response).toBeUndefined();
    expect(isCancel(failure)).toBe(false);
  });

  it('lets a response interceptor retry a request', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(answer(403, { detail: 'CSRF Failed' }))
      .mockResolvedValueOnce(answer(200, { ok: true }));
    const http = client(fetchMock);
    http.interceptors.response.use(undefined, (error) =>
      error.config.retried ? Promise.reject(error) : http.request({ ...error.config, retried: true }),
    );
    await expect(http.request({ method: 'post', url: '/x/', data: { a: 1 } })).resolves.toMatchObject({ status: 200 });
    expect(fetchMock.mock.calls[1][1].body).toBe('{"a":1}');
  });

  it('stops when its signal aborts, as a cancel, and after its timeout, as a failure', async () => {
    // As fetch does: a signal aborted before or during the exchange rejects it.
    const hang = (_url, init) =>
      new Promise((_resolve, reject) => {
        const aborted = () => reject(new DOMException('Aborted', 'AbortError'));
        if (init.signal.aborted) aborted();
        init.signal.addEventListener('abort', aborted);
      });
    const http = client(vi.fn(hang));
    const controller = new AbortController();
    const pending = http.request({ url: '/slow/', signal: controller.signal }).catch((e) => e);
    controller.abort();
    expect(isCancel(await pending)).toBe(true);

    const timedOut = await http.request({ url: '/slow/', timeout: 10 }).catch((e) => e);
    expect(isCancel(timedOut)).toBe(false);
    expect(timedOut.response).toBeUndefined();
  });

  it('builds the address of a request', () => {
    const http = client(vi.fn());
    expect(http.getUri({ url: '/tickets/export/', params: { format: 'csv', status: 'open' } })).toBe(
      'http://api.test/api/tickets/export/?format=csv&status=open',
    );
  });
});
