// The single API client: every request the app makes goes through here.
// Each feature's api.js builds its fetchers on `request`; components and hooks
// never know a URL or the HTTP client (./http.js).
import { API_URL } from './config';
import { createHttp, isCancel } from './http';

export const http = createHttp({
  baseURL: `${API_URL}/api`,
  timeout: 20000,
  // The session cookie travels with every request (the API is on another port or subdomain).
  withCredentials: true,
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
});

/**
 * One shape for every failure, whatever the server or network did.
 * - message: a sentence to show the user
 * - fieldErrors: { fieldName: "message" } from DRF's 400 bodies
 * - status: HTTP status, or 0 when the API could not be reached
 */
export class ApiError extends Error {
  constructor(message, { status = 0, fieldErrors = {}, cause } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.cause = cause;
  }

  get isNetworkError() {
    return this.status === 0;
  }
}

const FORM_LEVEL_KEYS = ['non_field_errors', 'detail', 'error'];

function asText(value) {
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join(' ');
  if (value && typeof value === 'object') return Object.values(value).map(asText).join(' ');
  return value == null ? '' : String(value);
}

/** Split a DRF error body into per-field messages and one form-level message. */
export function normaliseErrorBody(body) {
  const fieldErrors = {};
  const formMessages = [];
  if (typeof body === 'string') {
    // An HTML error page or plain text is not something to show verbatim.
    return { fieldErrors, message: '' };
  }
  if (Array.isArray(body)) {
    return { fieldErrors, message: asText(body) };
  }
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (FORM_LEVEL_KEYS.includes(key)) formMessages.push(asText(value));
      else fieldErrors[key] = asText(value);
    }
  }
  return { fieldErrors, message: formMessages.filter(Boolean).join(' ') };
}

function defaultMessageFor(status) {
  if (status === 400) return 'Please correct the highlighted fields.';
  if (status === 401) return 'Please sign in.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'That ticket no longer exists.';
  if (status === 429) return 'Too many requests; please wait a moment and try again.';
  if (status >= 500) return 'The ticket service had a problem. Please try again.';
  return `The request failed (HTTP ${status}).`;
}

function toApiError(error) {
  if (error instanceof ApiError) return error;
  // An aborted request (the query library cancelled it) stays what it is.
  if (isCancel(error)) return error;
  const response = error && error.response;
  if (!response) {
    return new ApiError(
      `Cannot reach the ticket service at ${API_URL}. Check that it is running and accepts requests from this page.`,
      {
        status: 0,
        cause: error,
      },
    );
  }
  const { fieldErrors, message } = normaliseErrorBody(response.data);
  return new ApiError(message || defaultMessageFor(response.status), {
    status: response.status,
    fieldErrors,
    cause: error,
  });
}

/** Send one request; resolves to the body or rejects with an ApiError. */
export async function request(config) {
  try {
    const response = await http.request(config);
    return response.data;
  } catch (error) {
    throw toApiError(error);
  }
}

/** Like `request`, but resolves to { data, headers } (e.g. to read an ETag). */
export async function requestWithHeaders(config) {
  try {
    const response = await http.request(config);
    return { data: response.data, headers: response.headers || {} };
  } catch (error) {
    throw toApiError(error);
  }
}
