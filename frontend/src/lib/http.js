// A small HTTP client on the browser's fetch, with the part of axios's interface this app
// uses (axios alone was a fifth of the code every page downloads before its first paint):
// request(config) and get(url), interceptors on requests and responses, defaults.adapter
// (the function that does the exchange; tests replace it) and getUri(config).
//
// config: { method, url, params, data, headers, signal, timeout, withCredentials }, over the
// defaults given to createHttp (plus baseURL). A response is { data, status, statusText,
// headers, config }; a status outside 2xx rejects with an HttpError carrying `response`, and
// a request that got no answer (network failure, timeout) with one that carries none.

export class HttpError extends Error {
  constructor(message, { config, response, code } = {}) {
    super(message);
    this.name = 'HttpError';
    this.config = config;
    this.response = response;
    this.code = code;
  }
}

/** Whether `error` is a request the caller aborted (its signal), not a failure. */
export function isCancel(error) {
  return error?.name === 'AbortError' || error?.name === 'CanceledError';
}

/**
 * Headers as a plain object (`headers['If-Match']`), with case-insensitive get, set and
 * delete as axios's have, built from plain objects or other such headers, later ones winning.
 */
function headerBag(...sources) {
  const bag = {};
  const keyOf = (name) => Object.keys(bag).find((key) => key.toLowerCase() === name.toLowerCase());
  Object.defineProperties(bag, {
    get: { value: (name) => bag[keyOf(name)] },
    set: {
      value: (name, value) => {
        bag.delete(name);
        bag[name] = String(value);
      },
    },
    delete: {
      value: (name) => {
        const key = keyOf(name);
        if (key !== undefined) delete bag[key];
      },
    },
  });
  for (const source of sources) {
    for (const [name, value] of Object.entries(source || {})) {
      if (value !== undefined && value !== null) bag.set(name, value);
    }
  }
  return bag;
}

function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}

function fullUrl({ baseURL = '', url = '', params }) {
  const absolute = /^[a-z][a-z\d+.-]*:\/\//i.test(url);
  const path = absolute || !baseURL ? url : `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  return `${path}${queryString(params)}`;
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return '';
  if (!(response.headers.get('content-type') || '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The exchange itself, on fetch: the default adapter. */
export async function fetchAdapter(config) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (config.signal?.aborted) abort();
  config.signal?.addEventListener('abort', abort);
  let timedOut = false;
  const timer =
    config.timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, config.timeout)
      : null;
  try {
    const response = await fetch(fullUrl(config), {
      method: config.method.toUpperCase(),
      headers: { ...config.headers },
      body: config.data,
      credentials: config.withCredentials ? 'include' : 'same-origin',
      signal: controller.signal,
    });
    const data = await readBody(response);
    return { data, status: response.status, statusText: response.statusText, headers: response.headers, config };
  } catch (error) {
    if (timedOut) throw new HttpError(`timeout of ${config.timeout} ms exceeded`, { config, code: 'ECONNABORTED' });
    if (isCancel(error)) throw error;
    throw new HttpError(error?.message || 'Network Error', { config, code: 'ERR_NETWORK' });
  } finally {
    clearTimeout(timer);
    config.signal?.removeEventListener('abort', abort);
  }
}

function interceptorList() {
  const handlers = [];
  return {
    use(fulfilled, rejected) {
      handlers.push({ fulfilled, rejected });
      return handlers.length - 1;
    },
    eject(id) {
      handlers[id] = null;
    },
    each: (fn) => handlers.forEach((handler) => handler && fn(handler)),
  };
}

export function createHttp({ headers = {}, ...defaults } = {}) {
  const http = {
    defaults: { ...defaults, headers, adapter: fetchAdapter },
    interceptors: { request: interceptorList(), response: interceptorList() },
  };

  function prepare(config) {
    const merged = { ...http.defaults, ...config, method: (config.method || 'get').toLowerCase() };
    merged.headers = headerBag(http.defaults.headers, config.headers);
    return merged;
  }

  async function dispatch(config) {
    const sent = { ...config, headers: headerBag(config.headers) };
    if (sent.data !== undefined && sent.data !== null && typeof sent.data === 'object') {
      sent.data = JSON.stringify(sent.data);
    }
    // No body, no Content-Type: a GET stays a simple request (no CORS preflight).
    if (sent.data === undefined || sent.data === null) sent.headers.delete('Content-Type');
    const response = await http.defaults.adapter(sent);
    if (response.status < 200 || response.status >= 300) {
      throw new HttpError(`Request failed with status code ${response.status}`, { config: sent, response });
    }
    return response;
  }

  http.request = (config) => {
    let chain = Promise.resolve(prepare(config));
    // As axios does: the request interceptor added last runs first.
    const requestHandlers = [];
    http.interceptors.request.each((handler) => requestHandlers.unshift(handler));
    for (const { fulfilled, rejected } of requestHandlers) chain = chain.then(fulfilled, rejected);
    chain = chain.then(dispatch);
    http.interceptors.response.each(({ fulfilled, rejected }) => {
      chain = chain.then(fulfilled, rejected);
    });
    return chain;
  };
  http.get = (url, config = {}) => http.request({ ...config, url, method: 'get' });
  http.getUri = (config = {}) => fullUrl({ ...http.defaults, ...config });
  return http;
}
