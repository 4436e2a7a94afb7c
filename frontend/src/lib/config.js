// The one place that reads the build-time environment.
const DEFAULT_API_URL = 'http://localhost:8000';

function readApiUrl() {
  const raw = (import.meta.env.REACT_APP_API_URL || '').trim();
  const url = raw || DEFAULT_API_URL;
  try {
    // Validate early so a typo shows up as one clear message at start-up.
    new URL(url);
  } catch {
    console.warn(`REACT_APP_API_URL "${raw}" is not a valid URL; using ${DEFAULT_API_URL}`);
    return DEFAULT_API_URL;
  }
  return url.replace(/\/+$/, '');
}

export const API_URL = readApiUrl();

function readEventsUrl() {
  const raw = (import.meta.env.REACT_APP_EVENTS_URL || '').trim();
  const fallback = `${API_URL}/api/events/`;
  if (!raw) return fallback;
  try {
    new URL(raw);
  } catch {
    console.warn(`REACT_APP_EVENTS_URL "${raw}" is not a valid URL; using ${fallback}`);
    return fallback;
  }
  return raw;
}

// The live event stream (Server-Sent Events); the API's own path when unset.
export const EVENTS_URL = readEventsUrl();

// How many tickets one page of the list holds, and how often statistics refresh
// by themselves (a safety net: live events refresh them as changes happen).
export const PAGE_SIZE = 50;
export const STATS_POLL_MS = 60000;
