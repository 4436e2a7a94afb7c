// Signs the e2e agent in once and saves the session for every test.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AGENT, AGENT_STATE, CSRF_FILE, signInThroughApi } from './session.js';

export default async function globalSetup() {
  rmSync(dirname(AGENT_STATE), { recursive: true, force: true });
  if (!AGENT.username) return; // the API is open: nobody needs to sign in
  mkdirSync(dirname(AGENT_STATE), { recursive: true, mode: 0o700 });
  const { context } = await signInThroughApi({ storageStatePath: AGENT_STATE, csrfPath: CSRF_FILE });
  await context.dispose();
}
