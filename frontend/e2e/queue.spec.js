// Working the queue: sorting, a shift-click range changed in bulk, the export
// of the current view, and the keyboard. Works with the API open or with a
// signed-in session (the browser context's cookies and CSRF token are used).
import { expect, test } from './fixtures.js';

const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';

const marker = () => `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function csrfHeaders(page) {
  const cookies = await page.context().cookies(API_URL);
  const csrf = cookies.find((c) => c.name === 'csrftoken');
  return csrf ? { 'X-CSRFToken': csrf.value } : {};
}

/** Create tickets one after another (so created_at orders them) through the API. */
async function createTickets(page, word, count) {
  const headers = await csrfHeaders(page);
  const tickets = [];
  for (let i = 1; i <= count; i += 1) {
    const response = await page.request.post(`${API_URL}/api/tickets/`, {
      headers,
      data: {
        title: `${word} ticket ${i}`,
        description: `Queue suite ticket ${i}, "quoted", with a comma\nand a second line`,
        category: 'general',
        priority: i === 2 ? 'critical' : 'low',
      },
    });
    expect(response.status()).toBe(201);
    tickets.push(await response.json());
  }
  return tickets;
}

async function apiList(page, params) {
  const response = await page.request.get(`${API_URL}/api/tickets/`, { params });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

function cards(page) {
  return page.getByRole('list', { name: 'Tickets' }).getByRole('article');
}

async function readMetric(page, label) {
  const stats = page.getByRole('region', { name: 'Statistics' });
  await expect(stats.getByText(/^Updated/)).toBeVisible();
  const text = await stats
    .locator('.metric', { has: page.locator(`dt:text-is("${label}")`) })
    .locator('dd')
    .textContent();
  return Number(text.replace(/[^\d]/g, ''));
}

/** A CSV with quoted fields (which may hold commas, quotes and newlines) as rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

test('sorts oldest first, changes a shift-click range to resolved, and the cards and statistics follow', async ({
  page,
}) => {
  await page.goto('/');
  const word = marker();
  const created = await createTickets(page, word, 4);

  await page.goto(`/?search=${word}`);
  await expect(cards(page)).toHaveCount(4);
  await expect(cards(page).first()).toHaveAccessibleName(`${word} ticket 4`);

  await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Oldest first' });
  await expect(page).toHaveURL(/ordering=created_at/);
  await expect(cards(page).first()).toHaveAccessibleName(`${word} ticket 1`);
  await expect(cards(page).last()).toHaveAccessibleName(`${word} ticket 4`);

  const openBefore = await readMetric(page, 'Open');
  await page.getByRole('checkbox', { name: `Select ticket #${created[0].id}`, exact: true }).click();
  await page
    .getByRole('checkbox', { name: `Select ticket #${created[2].id}`, exact: true })
    .click({ modifiers: ['Shift'] });
  const bar = page.getByRole('region', { name: 'Bulk changes' });
  await expect(bar.getByText('3 tickets selected')).toBeVisible();

  await bar.getByRole('combobox', { name: 'To' }).selectOption('resolved');
  await bar.getByRole('button', { name: 'Apply…' }).click();
  await expect(bar.getByText(/Set status to Resolved on 3 tickets\?/)).toBeVisible();
  await bar.getByRole('button', { name: 'Update 3 tickets' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Updated 3 tickets' })).toBeVisible();
  const statusOf = (i) => cards(page).nth(i).getByRole('combobox', { name: 'Status' });
  await expect(statusOf(0)).toHaveValue('resolved');
  await expect(statusOf(1)).toHaveValue('resolved');
  await expect(statusOf(2)).toHaveValue('resolved');
  await expect(statusOf(3)).toHaveValue('open');
  await expect.poll(() => readMetric(page, 'Open')).toBe(openBefore - 3);
  await expect(page.getByRole('checkbox', { checked: true })).toHaveCount(0);
});

test('exports exactly the filtered, sorted view as CSV and as JSON Lines', async ({ page }) => {
  await page.goto('/');
  const word = marker();
  await createTickets(page, word, 3);
  await page.goto(`/?search=${word}&priority=low&ordering=created_at`);
  await expect(cards(page)).toHaveCount(2);

  const expected = await apiList(page, { search: word, priority: 'low', ordering: 'created_at' });
  const expectedIds = expected.map((t) => String(t.id));

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export' }).click(),
  ]);
  const csv = parseCsv(
    await (await csvDownload.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8')),
  );
  const [header, ...rows] = csv;
  const idColumn = header.map((h) => h.replace(/^\uFEFF/, '')).indexOf('id');
  expect(rows.map((r) => r[idColumn])).toEqual(expectedIds);
  const descriptionColumn = header.indexOf('description');
  expect(rows[0][descriptionColumn]).toBe(expected[0].description);

  await page.getByRole('combobox', { name: 'Export as' }).selectOption('jsonl');
  const [jsonlDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export' }).click(),
  ]);
  const chunks = await (await jsonlDownload.createReadStream()).toArray();
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines.map((t) => String(t.id))).toEqual(expectedIds);
  expect(lines.map((t) => t.title)).toEqual(expected.map((t) => t.title));
});

test('drives the queue with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  const word = marker();
  const created = await createTickets(page, word, 3);
  await page.goto('/');
  await expect(cards(page).first()).toBeVisible();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeFocused();
  await page.keyboard.type(word, { delay: 60 });
  await expect(cards(page)).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`search=${word}`));
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue(word);

  await page.keyboard.press('j');
  await expect(cards(page).nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(cards(page).nth(1)).toBeFocused();
  await page.keyboard.press('x');
  await expect(page.getByRole('checkbox', { name: `Select ticket #${created[1].id}`, exact: true })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Bulk changes' }).getByText('1 ticket selected')).toBeVisible();
  await page.keyboard.press('k');
  await expect(cards(page).nth(0)).toBeFocused();

  await page.keyboard.press('n');
  const form = page.getByRole('form', { name: 'New ticket' });
  await expect(form.getByLabel('Title')).toBeFocused();
  await page.keyboard.type('jkx');
  await expect(form.getByLabel('Title')).toHaveValue('jkx');
  await expect(cards(page).nth(0)).not.toBeFocused();

  await page.keyboard.press('Shift+Tab'); // out of the form's first field
  await page.keyboard.press('j');
  await expect(cards(page).nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tickets/${created[2].id}$`));
  await expect(page.getByRole('heading', { name: `${word} ticket 3` })).toBeVisible();
});
