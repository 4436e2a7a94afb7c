// Signing in and out against the API in API_AUTH=required mode, from a browser
// that starts with no session (the rest of the suite starts signed in).
import { test as base, expect } from '@playwright/test';
import { consoleErrors } from './fixtures.js';
import { AGENT, API_URL, SIGNED_OUT, signInThroughApi } from './session.js';

// The sign-in redirects follow refused requests, which the browser logs; anything else fails the test.
const EXPECTED = /status of 401|Failed to load resource/;

const test = base.extend({
  consoleErrors: consoleErrors(EXPECTED),
  // An API client signed in as the agent, for setting things up.
  // eslint-disable-next-line no-empty-pattern
  api: async ({}, provide) => {
    const session = await signInThroughApi();
    const headers = { 'X-CSRFToken': session.csrfToken };
    await provide({
      agent: session.agent,
      get: (url, options) => session.context.get(`${API_URL}${url}`, options),
      post: (url, data) => session.context.post(`${API_URL}${url}`, { data, headers }),
      patch: (url, data) => session.context.patch(`${API_URL}${url}`, { data, headers }),
    });
    await session.context.dispose();
  },
});

test.skip(!AGENT.username, 'The API is open: sign-in is tested with API_AUTH=required.');
test.use(SIGNED_OUT);

const unique = (label) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function signIn(page, password = AGENT.password) {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(AGENT.username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

function account(page) {
  return page.getByRole('navigation', { name: 'Account' });
}

test('signs in, works, and signs out', async ({ page }) => {
  await page.goto('/?status=open');
  await expect(page).toHaveURL(/\/sign-in\?next=%2F%3Fstatus%3Dopen$/);

  await signIn(page, 'not the password');
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page);
  await expect(page).toHaveURL(/\/\?status=open$/);
  await expect(account(page)).toContainText(`Signed in as ${AGENT.name}`);
  await expect(page.getByRole('search', { name: 'Filters' }).getByLabel('Status')).toHaveValue('open');

  // Work: create a ticket (a POST with the CSRF token) and change its status.
  const title = unique('Signed-in work');
  const form = page.getByRole('form', { name: 'New ticket' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('The dashboard shows an error after signing in');
  await form.getByLabel('Description').blur();
  await expect(form.getByLabel('Category')).toHaveValue('technical');
  await form.getByRole('button', { name: 'Create ticket' }).click();
  await expect(form.getByRole('status')).toHaveText(/Ticket #\d+ created\./);
  const card = page.getByRole('article', { name: title });
  await card.getByLabel('Status').selectOption('in_progress');
  await expect(card.locator('.chip--status')).toHaveText('In progress');

  await account(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('You have signed out.')).toBeVisible();

  // Signed out, the queue asks to sign in again.
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
});

test('an expired session returns to sign-in and then to the same page', async ({ page, context, api }) => {
  const title = unique('Expiry');
  const created = await api.post('/api/tickets/', {
    title,
    description: 'Checked after the session ends',
    category: 'general',
    priority: 'low',
  });
  expect(created.status()).toBe(201);

  await page.goto('/sign-in');
  await signIn(page);
  await expect(account(page)).toContainText(AGENT.name);
  await page.goto(`/?search=${title}&priority=low`);
  const card = page.getByRole('article', { name: title });
  await expect(card).toBeVisible();

  // The session ends (the cookie expires): the next change is refused and the agent signs in again.
  await context.clearCookies({ name: 'sessionid' });
  await card.getByLabel('Status').selectOption('resolved');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await signIn(page);
  await expect(page).toHaveURL(new RegExp(`/\\?search=${title}&priority=low$`));
  await expect(page.getByRole('search', { name: 'Filters' }).getByLabel('Search')).toHaveValue(title);
  await expect(page.getByRole('article', { name: title }).getByLabel('Status')).toHaveValue('open');
});

test('signing out in another window ends the session here too', async ({ page, context, browser }) => {
  await page.goto('/sign-in');
  await signIn(page);
  await expect(account(page)).toContainText(AGENT.name);

  const other = await browser.newContext({ storageState: await context.storageState(), extraHTTPHeaders: {} });
  const otherPage = await other.newPage();
  await otherPage.goto('/');
  await account(otherPage).getByRole('button', { name: 'Sign out' }).click();
  await expect(otherPage).toHaveURL(/\/sign-in$/);
  await other.close();

  await page.goto('/tickets/1');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ftickets%2F1$/);
});

test('shows the tickets assigned to me and the unassigned ones', async ({ page, api }) => {
  const tag = unique('mine');
  const mine = await (
    await api.post('/api/tickets/', {
      title: `${tag} assigned`,
      description: 'For me',
      category: 'general',
      priority: 'low',
    })
  ).json();
  await api.post('/api/tickets/', {
    title: `${tag} nobody`,
    description: 'For nobody',
    category: 'general',
    priority: 'low',
  });
  const assigned = await api.patch(`/api/tickets/${mine.id}/`, { assignee: api.agent.id });
  expect(assigned.status()).toBe(200);

  await page.goto(`/?search=${tag}`);
  await signIn(page);
  await expect(page).toHaveURL(new RegExp(`/\\?search=${tag}$`));
  const cards = page.getByRole('list', { name: 'Tickets' }).getByRole('article');
  await expect(cards).toHaveCount(2);

  const views = page.getByRole('navigation', { name: 'Queue views' });
  await views.getByRole('link', { name: 'Assigned to me' }).click();
  await expect(page).toHaveURL(/assignee=me/);
  await expect(page).toHaveURL(new RegExp(`search=${tag}`));
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAccessibleName(`${tag} assigned`);
  await expect(views.getByRole('link', { name: 'Assigned to me' })).toHaveAttribute('aria-current', 'page');

  await views.getByRole('link', { name: 'Unassigned' }).click();
  await expect(page).toHaveURL(/assignee=none/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAccessibleName(`${tag} nobody`);

  // The view is part of the address: a reload keeps it.
  await page.reload();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAccessibleName(`${tag} nobody`);

  await views.getByRole('link', { name: 'All tickets' }).click();
  await expect(page).not.toHaveURL(/assignee=/);
  await expect(cards).toHaveCount(2);
});

test('creates an API token, shows its key once, and revokes it', async ({ page, playwright }) => {
  await page.goto('/settings/tokens');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Ftokens$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/settings\/tokens$/);

  const name = unique('ci');
  const form = page.getByRole('form', { name: 'New API token' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByRole('region', { name: 'New token key' });
  await expect(shown).toContainText('not shown again');
  const key = (await shown.getByLabel('Token key').textContent()).trim();
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();

  // The key works for scripts.
  const script = await playwright.request.newContext({ extraHTTPHeaders: { Authorization: `Token ${key}` } });
  expect((await script.get(`${API_URL}/api/tickets/stats/`)).status()).toBe(200);

  // Shown once: after leaving the page it is gone.
  await page.goto('/');
  await page.goto('/settings/tokens');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await expect(page.getByText(key)).toHaveCount(0);

  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  expect((await script.get(`${API_URL}/api/tickets/stats/`)).status()).toBe(401);
  await script.dispose();
});
