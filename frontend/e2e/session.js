// The signed-in agent the end-to-end suite runs as (created by scripts/e2e.sh).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request as playwrightRequest } from '@playwright/test';

export const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';
export const AGENT = {
  username: process.env.E2E_AGENT_USERNAME || '',
  password: process.env.E2E_AGENT_PASSWORD || '',
  name: process.env.E2E_AGENT_NAME || '',
};
export const AGENT_STATE = fileURLToPath(new URL('../test-results/.auth/agent.json', import.meta.url));
export const CSRF_FILE = fileURLToPath(new URL('../test-results/.auth/csrf.json', import.meta.url));

/** A browser with no session: for the tests of signing in and out. */
export const SIGNED_OUT = { storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} };

/** The X-CSRFToken header of the saved session (read once the global setup wrote it). */
export function csrfHeaders() {
  try {
    return { 'X-CSRFToken': JSON.parse(readFileSync(CSRF_FILE, 'utf8')).csrf_token };
  } catch {
    return {};
  }
}

/** Sign in through the API; resolves to { context, agent, csrfToken }. */
export async function signInThroughApi({ storageStatePath, csrfPath } = {}) {
  const context = await playwrightRequest.newContext({ baseURL: API_URL });
  const csrf = await (await context.get('/api/auth/csrf/')).json();
  const response = await context.post('/api/auth/login/', {
    data: { username: AGENT.username, password: AGENT.password },
    headers: { 'X-CSRFToken': csrf.csrf_token },
  });
  if (!response.ok()) throw new Error(`Signing in the e2e agent failed: HTTP ${response.status()}`);
  const { csrf_token: csrfToken, ...agent } = await response.json();
  if (storageStatePath) await context.storageState({ path: storageStatePath });
  if (csrfPath) writeFileSync(csrfPath, JSON.stringify({ csrf_token: csrfToken }), { mode: 0o600 });
  return { context, agent, csrfToken };
}
