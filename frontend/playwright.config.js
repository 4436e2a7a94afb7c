import { defineConfig } from '@playwright/test';
import { AGENT_STATE, csrfHeaders } from './e2e/session.js';

// Runs against servers that scripts/e2e.sh starts (the built app and the API).
// The browser is the system's Chromium: no browser is downloaded.
// When the API requires sign-in (E2E_AGENT_USERNAME set), the global setup signs
// the agent in once: every test starts with that session, and API calls made
// with the `request` fixture carry it with its CSRF token. Tests that need a
// signed-out browser use `test.use(SIGNED_OUT)` from e2e/session.js.
export default defineConfig({
  testDir: './e2e',
  timeout: 45000,
  expect: { timeout: 10000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/global-setup.js',
  use: {
    baseURL: process.env.E2E_BASE_URL || 'http://127.0.0.1:3000',
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    storageState: process.env.E2E_AGENT_USERNAME ? AGENT_STATE : undefined,
    extraHTTPHeaders: csrfHeaders(),
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
