import { afterEach, beforeEach } from 'vitest';
import { http } from '../lib/apiClient';

export function jsonResponse(config, status, data) {
  return { data, status, statusText: String(status), headers: {}, config };
}

/**
 * Answers the API client's requests in the test instead of the network.
 * Set `fake.respond(config)` to return a jsonResponse or an Error (no response);
 * `fake.requests` records each request with its full `uri`.
 */
export function installFakeHttp() {
  const fake = { requests: [], respond: null };
  const originalAdapter = http.defaults.adapter;
  beforeEach(() => {
    fake.requests = [];
    fake.respond = (config) => jsonResponse(config, 200, {});
    http.defaults.adapter = async (config) => {
      fake.requests.push({ ...config, uri: http.getUri(config) });
      const response = fake.respond(config);
      if (response instanceof Error) throw response;
      if (response.status >= 400) {
        const error = new Error(`Request failed with status code ${response.status}`);
        error.response = response;
        error.config = config;
        throw error;
      }
      return response;
    };
  });
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
  });
  return fake;
}
