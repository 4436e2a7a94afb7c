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

// How many tickets one page of the list holds, and how often statistics refresh.
export const PAGE_SIZE = 50;
export const STATS_POLL_MS = 15000;
