// Live updates: what one agent (or a script) changes shows in every open app
// within 2 s, and a stream server restart loses nothing. scripts/e2e.sh runs the
// stream server under a loop that keeps it down while E2E_EVENTS_PAUSE exists.
// Works with the API open or requiring sign-in (the saved session, if any, is used).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { consoleErrors } from './fixtures.js';

const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';
const PAUSE = process.env.E2E_EVENTS_PAUSE;
const PID = process.env.E2E_EVENTS_PID;

// A stopped stream server makes the browser log its failed reconnects; nothing else may be logged.
const EXPECTED = /api\/events|EventSource|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED/;

const test = base.extend({
  consoleErrors: consoleErrors(EXPECTED),
});

const unique = (label) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function apiCreate(request, fields) {
  const response = await request.post(`${API_URL}/api/tickets/`, {
    data: { category: 'general', priority: 'medium', description: 'Created by the live suite', ...fields },
  });
  expect(response.status()).toBe(201);
  return response.json();
}

async function apiPatch(request, id, changes) {
  const response = await request.patch(`${API_URL}/api/tickets/${id}/`, { data: changes });
  expect(response.status()).toBe(200);
  return response.json();
}

const indicator = (page) => page.getByRole('banner').getByRole('status');

async function openQueue(page, query = '') {
  await page.goto(`/${query}`);
  await expect(indicator(page)).toHaveText(/Live/);
}

test('a status change in one app shows in another within 2 s', async ({ browser, request }) => {
  const title = unique('Two agents');
  await apiCreate(request, { title });
  const storageState = test.info().project.use.storageState;
  const first = await browser.newContext({ storageState });
  const second = await browser.newContext({ storageState });
  const [pageA, pageB] = [await first.newPage(), await second.newPage()];
  await openQueue(pageA);
  await openQueue(pageB);

  await pageA.getByRole('article', { name: title }).getByLabel('Status').selectOption('in_progress');
  await expect(pageB.getByRole('article', { name: title }).getByLabel('Status')).toHaveValue('in_progress', {
    timeout: 2000,
  });
  await first.close();
  await second.close();
});

test('a ticket created by a script shows in two apps within 2 s', async ({ browser, request }) => {
  const storageState = test.info().project.use.storageState;
  const contexts = [await browser.newContext({ storageState }), await browser.newContext({ storageState })];
  const pages = [await contexts[0].newPage(), await contexts[1].newPage()];
  for (const page of pages) await openQueue(page);

  const title = unique('From a script');
  await apiCreate(request, { title });
  for (const page of pages) {
    await expect(page.getByRole('article', { name: title })).toBeVisible({ timeout: 2000 });
  }
  for (const context of contexts) await context.close();
});

test('a ticket changed out of the filters is marked and leaves on reload', async ({ page, request }) => {
  const title = unique('Leaving');
  const ticket = await apiCreate(request, { title });
  await openQueue(page, `?status=open&search=${title}`);
  await expect(page.getByRole('article', { name: title })).toBeVisible();

  await apiPatch(request, ticket.id, { status: 'closed' });
  const item = page.getByRole('listitem').filter({ has: page.getByRole('article', { name: title }) });
  await expect(item.getByText('No longer matches the filters')).toBeVisible({ timeout: 2000 });
  await page.reload();
  await expect(page.getByText('No tickets match these filters.')).toBeVisible();
});

test('a stream server restart shows Reconnecting, then catches up', async ({ page, request }) => {
  test.skip(!PAUSE || !PID, 'needs the stream server of scripts/e2e.sh');
  const title = unique('Restart');
  const ticket = await apiCreate(request, { title });
  await openQueue(page);
  await expect(page.getByRole('article', { name: title })).toBeVisible();

  const meanwhile = unique('Meanwhile');
  writeFileSync(PAUSE, '');
  try {
    process.kill(Number(readFileSync(PID, 'utf8')), 'SIGTERM');
    await expect(indicator(page)).toHaveText(/Reconnecting|Offline/, { timeout: 10000 });

    // Changes while the stream is down.
    await apiPatch(request, ticket.id, { priority: 'critical' });
    await apiCreate(request, { title: meanwhile });
    await page.waitForTimeout(500);
    await expect(page.getByRole('article', { name: title }).getByLabel('Priority')).toHaveValue('medium');
  } finally {
    rmSync(PAUSE, { force: true });
  }
  await expect(indicator(page)).toHaveText(/Live/, { timeout: 40000 });
  await expect(page.getByRole('article', { name: title }).getByLabel('Priority')).toHaveValue('critical', {
    timeout: 2000,
  });
  await expect(page.getByRole('article', { name: meanwhile })).toBeVisible({ timeout: 2000 });
  expect(existsSync(PAUSE)).toBe(false);
});
