// The app in a real browser against the real API (PostgreSQL) and the fake LLM,
// which classifies by keywords: "charged"/"refund" -> billing, "password" -> account,
// "error"/"crash" -> technical; "down"/"urgent" -> critical, "cannot" -> high.
import { apiCreate, expect, test, unique } from './fixtures.js';
import { API_URL } from './session.js';

async function apiFind(request, search) {
  const response = await request.get(`${API_URL}/api/tickets/`, { params: { search } });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

function statsRegion(page) {
  return page.getByRole('region', { name: 'Statistics' });
}

function metric(page, label) {
  return statsRegion(page)
    .locator('.metric', { has: page.locator(`dt:text-is("${label}")`) })
    .locator('dd');
}

async function readMetric(page, label) {
  await expect(statsRegion(page).getByText(/^Updated/)).toBeVisible();
  return Number((await metric(page, label).textContent()).replace(/[^\d]/g, ''));
}

function ticketCards(page) {
  return page.getByRole('list', { name: 'Tickets' }).getByRole('article');
}

test('creates a ticket with an AI suggestion, keeps an override, and lists and counts it', async ({
  page,
  request,
}) => {
  await page.goto('/');
  const totalBefore = await readMetric(page, 'Total');
  const title = unique('Double charge');

  const form = page.getByRole('form', { name: 'New ticket' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('I was charged twice for my last invoice, please refund one of them');
  await form.getByLabel('Description').blur();

  await expect(form.getByLabel('Category')).toHaveValue('billing');
  await expect(form.getByLabel('Priority')).toHaveValue('medium');
  await expect(form.getByText('Suggested')).toHaveCount(2);
  await expect(form.getByText(/AI suggestion: Billing · Medium/)).toBeVisible();

  await form.getByLabel('Priority').selectOption('high');
  await expect(form.getByText('Suggested')).toHaveCount(1);
  await form.getByRole('button', { name: 'Create ticket' }).click();

  await expect(form.getByRole('status')).toHaveText(/Ticket #\d+ created\./);
  await expect(form.getByLabel('Title')).toHaveValue('');
  await expect(form.getByLabel('Description')).toHaveValue('');

  const first = ticketCards(page).first();
  await expect(first).toHaveAccessibleName(title);
  await expect(first.getByText('Billing')).toBeVisible();
  await expect(first.getByLabel('Priority')).toHaveValue('high');
  await expect(first.getByLabel('Status')).toHaveValue('open');
  await expect(metric(page, 'Total')).toHaveText(String(totalBefore + 1));

  const [saved] = await apiFind(request, title);
  expect(saved).toMatchObject({ title, category: 'billing', priority: 'high', status: 'open' });
});

test('shows client-side validation before sending anything', async ({ page }) => {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'New ticket' });
  await form.getByRole('button', { name: 'Create ticket' }).click();
  await expect(form.getByText('Title is required.')).toBeVisible();
  await expect(form.getByText('Description is required.')).toBeVisible();
  await expect(form.getByLabel('Title')).toBeFocused();
});

test('changes a ticket status from its card and the statistics follow', async ({ page, request }) => {
  const title = unique('Status change');
  const ticket = await apiCreate(request, {
    title,
    description: 'The export crashes with an error',
    category: 'technical',
  });

  await page.goto('/');
  const openBefore = await readMetric(page, 'Open');
  const card = page.getByRole('article', { name: title });
  await expect(card.getByLabel('Status')).toHaveValue('open');

  await card.getByLabel('Status').selectOption({ label: 'In progress' });
  await expect(card.locator('.chip--status')).toHaveText('In progress');
  await expect(metric(page, 'Open')).toHaveText(String(openBefore - 1));
  await expect(card.getByRole('alert')).toHaveCount(0);

  const stored = await (await request.get(`${API_URL}/api/tickets/${ticket.id}/`)).json();
  expect(stored.status).toBe('in_progress');

  await page.reload();
  await expect(page.getByRole('article', { name: title }).getByLabel('Status')).toHaveValue('in_progress');
});

test('filters and searches on the server, with the filters in the URL', async ({ page, request }) => {
  const tag = unique('zebra');
  await apiCreate(request, { title: `${tag} password reset`, category: 'account', priority: 'high' });
  await apiCreate(request, { title: `${tag} refund`, category: 'billing', priority: 'low' });
  await apiCreate(request, { title: `${tag} locked out`, category: 'account', priority: 'low' });

  await page.goto('/');
  const filters = page.getByRole('search', { name: 'Filters' });
  await expect(filters.getByLabel('Category').locator('option').first()).toHaveText('All');

  await filters.getByLabel('Search').fill(tag);
  await expect(ticketCards(page)).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`search=${tag}`));

  await filters.getByLabel('Category').selectOption('account');
  await expect(ticketCards(page)).toHaveCount(2);
  await filters.getByLabel('Priority').selectOption('low');
  await expect(ticketCards(page)).toHaveCount(1);
  await expect(ticketCards(page).first()).toHaveAccessibleName(`${tag} locked out`);
  await expect(page).toHaveURL(/category=account/);
  await expect(page).toHaveURL(/priority=low/);

  // A bookmarked view opens with the same filters.
  await page.reload();
  await expect(filters.getByLabel('Category')).toHaveValue('account');
  await expect(filters.getByLabel('Priority')).toHaveValue('low');
  await expect(filters.getByLabel('Search')).toHaveValue(tag);
  await expect(ticketCards(page)).toHaveCount(1);

  await filters.getByLabel('Status').selectOption('closed');
  await expect(page.getByText('No tickets match these filters.')).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(filters.getByLabel('Search')).toHaveValue('');
  await expect(page).not.toHaveURL(/search=/);
});

test('opens a ticket from its card; deep links, reload and back/forward work', async ({
  page,
  request,
  consoleErrors,
}) => {
  const title = unique('Routed');
  const ticket = await apiCreate(request, { title, description: 'Shown on its own page', category: 'account' });

  await page.goto(`/?search=${title}`);
  await page.getByRole('article', { name: title }).getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.id}$`));
  const shown = page.getByRole('article', { name: title });
  await expect(shown.getByText('Shown on its own page')).toBeVisible();
  await expect(shown.getByRole('combobox', { name: 'Category' })).toHaveValue('account');

  await page.reload();
  await expect(page.getByRole('article', { name: title }).getByText('Shown on its own page')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/\\?search=${title}$`));
  await expect(ticketCards(page)).toHaveCount(1);
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.id}$`));

  await page.goto('/tickets/999999999');
  await expect(page.getByText('No such ticket')).toBeVisible();
  // The browser logs the API's 404 for the missing ticket; nothing else may be logged.
  const unexpected = consoleErrors.filter((text) => !/status of 404|Failed to load resource/.test(text));
  expect(unexpected).toEqual([]);
  consoleErrors.length = 0;
});

test('loads the next page as the list scrolls', async ({ page, request }) => {
  const tag = unique('bulk');
  for (let i = 1; i <= 55; i += 1) {
    await apiCreate(request, { title: `${tag} number ${i}` });
  }
  await page.goto(`/?search=${tag}`);
  await expect(ticketCards(page)).toHaveCount(50);
  await expect(ticketCards(page).first()).toHaveAccessibleName(`${tag} number 55`);

  await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
  await expect(ticketCards(page)).toHaveCount(55);
  await expect(ticketCards(page).last()).toHaveAccessibleName(`${tag} number 1`);
  await expect(page.getByText(/That's every ticket/)).toBeVisible();
});

test('says the API is unreachable and recovers on Retry', async ({ page, consoleErrors }) => {
  const apiRoutes = `${API_URL}/api/**`;
  await page.route(apiRoutes, (route) => route.abort('connectionrefused'));
  await page.goto('/');
  const list = page.getByRole('region', { name: 'Tickets' });
  const stats = statsRegion(page);
  await expect(list.getByText('The ticket service is unreachable')).toBeVisible();
  await expect(stats.getByText('The ticket service is unreachable')).toBeVisible();

  await page.unroute(apiRoutes);
  await list.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('list', { name: 'Tickets' })).toBeVisible();
  await stats.getByRole('button', { name: 'Retry' }).click();
  await expect(stats.getByText(/^Updated/)).toBeVisible();
  // The refused requests were meant to fail; the browser logs them as errors.
  const unexpected = consoleErrors.filter((text) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(text));
  expect(unexpected).toEqual([]);
  consoleErrors.length = 0;
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('fits the screen and still creates and updates tickets', async ({ page }) => {
    await page.goto('/');
    const statsToggle = statsRegion(page).getByRole('button', { name: /^Statistics/ });
    await expect(statsToggle).toContainText(/\d+ total · \d+ open/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);

    // The queue comes first: the list starts within the first screen, above the form
    // (below the views and the sort and export row, which sit above it).
    const listTop = await page.getByRole('list', { name: 'Tickets' }).evaluate((el) => el.getBoundingClientRect().top);
    expect(listTop).toBeLessThan(700);
    const form = page.getByRole('form', { name: 'New ticket' });
    await expect(form).toBeHidden();
    await expect(statsRegion(page).getByRole('figure', { name: 'By priority' })).toBeHidden();
    await statsToggle.tap();
    await expect(statsRegion(page).getByRole('figure', { name: 'By priority' })).toBeVisible();
    await statsToggle.tap();

    const title = unique('Phone login');
    await page.getByRole('button', { name: 'New ticket' }).tap();
    await expect(form.getByLabel('Title')).toBeFocused();
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill('I cannot login to my account from the mobile site');
    await form.getByLabel('Description').blur();
    await expect(form.getByLabel('Category')).toHaveValue('account');
    await expect(form.getByLabel('Priority')).toHaveValue('high');
    await form.getByRole('button', { name: 'Create ticket' }).click();

    const card = page.getByRole('article', { name: title });
    await expect(card).toBeVisible();
    await card.getByLabel('Status').selectOption('resolved');
    await expect(card.locator('.chip--status')).toHaveText('Resolved');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test('every control is reached and worked with the keyboard, with the focus always visible', async ({
  page,
  request,
}) => {
  const title = unique('Keyboard');
  await apiCreate(request, { title });
  await page.goto(`/?search=${title}`);
  await expect(ticketCards(page)).toHaveCount(1);

  // Tab through the page: every stop is visible and draws a focus outline.
  const stops = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        name: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30)}`,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        visible: box.width > 0 && box.height > 0,
      };
    });
    if (!stop) break;
    stops.push(stop);
  }
  expect(stops.length).toBeGreaterThan(10);
  expect(stops.filter((s) => !s.outline || !s.visible)).toEqual([]);

  // The card's controls work from the keyboard alone.
  const card = page.getByRole('article', { name: title });
  await card.getByLabel('Status').focus();
  await page.keyboard.press('ArrowDown');
  await expect(card.locator('.chip--status')).toHaveText('In progress');
  await card.getByRole('link', { name: title }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
});
