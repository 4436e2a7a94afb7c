// AI triage end to end: a suggestion shown in the form, linked to the ticket
// created from it, and measured in the dashboard's "AI triage" panel. The fake
// LLM answers "charged"/"refund" -> billing with priority medium.
// The triage figures cover every test's suggestions, so this spec compares the
// panel before and after its own steps.
import { expect, test } from './fixtures.js';

const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';

const unique = (label) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function triagePanel(page) {
  return page.getByRole('region', { name: 'AI triage' });
}

async function waitForFigures(page) {
  const panel = triagePanel(page);
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await expect(panel.getByText(/^(Suggestions since|No suggestions in the last)/)).toBeVisible();
}

/** "k of n" in a cell of the shares table, as [k, n] ([0, 0] when there is no ticket yet). */
async function share(page, field, column) {
  const table = triagePanel(page).getByRole('table', { name: 'Tickets created from a suggestion' });
  const columnIndex = column === 'Accepted unchanged' ? 0 : 1;
  const cell = table
    .getByRole('row', { name: new RegExp(`^${field}`) })
    .getByRole('cell')
    .nth(columnIndex);
  const match = /(\d+) of (\d+)/.exec(await cell.textContent());
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

async function confusion(page, field, suggested, current) {
  const table = triagePanel(page).getByRole('table', { name: `${field}: suggested × now` });
  const headers = await table.getByRole('columnheader').allTextContents();
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: suggested, exact: true }) });
  return Number((await row.getByRole('cell').nth(headers.indexOf(current)).textContent()).replace(/[^\d]/g, ''));
}

async function suggestionsCount(page) {
  const value = triagePanel(page)
    .locator('.triage-metric', { hasText: 'Suggestions' })
    .locator('.triage-metric__value');
  return Number(((await value.textContent()) || '').replace(/[^\d]/g, '')) || 0;
}

async function snapshot(page) {
  await waitForFigures(page);
  return {
    suggestions: await suggestionsCount(page),
    acceptedCategory: await share(page, 'Category', 'Accepted unchanged'),
    acceptedPriority: await share(page, 'Priority', 'Accepted unchanged'),
    agreeCategory: await share(page, 'Category', 'Agrees now'),
    agreeBoth: await share(page, 'Both', 'Agrees now'),
    billingKept: await confusion(page, 'Category', 'Billing', 'Billing'),
    billingToTechnical: await confusion(page, 'Category', 'Billing', 'Technical'),
    mediumToHigh: await confusion(page, 'Priority', 'Medium', 'High'),
  };
}

/** PATCH through the API in the page's session (a CSRF token is sent when the session has one). */
async function patchTicket(page, id, changes) {
  const cookies = await page.context().cookies(API_URL);
  const csrf = cookies.find((cookie) => cookie.name === 'csrftoken');
  const response = await page.request.patch(`${API_URL}/api/tickets/${id}/`, {
    data: changes,
    headers: csrf ? { 'X-CSRFToken': csrf.value, Referer: API_URL } : {},
  });
  expect(response.status()).toBe(200);
}

test('measures a suggestion: accepted category, overridden priority, a later correction', async ({ page }) => {
  await page.goto('/');
  const before = await snapshot(page);

  const title = unique('Charged twice');
  const description = `I was charged twice for invoice ${unique('INV')}, please refund one of them`;
  const form = page.getByRole('form', { name: 'New ticket' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill(description);
  await form.getByLabel('Description').blur();
  await expect(form.getByLabel('Category')).toHaveValue('billing');
  await expect(form.getByLabel('Priority')).toHaveValue('medium');
  await expect(form.getByRole('button', { name: 'Suggest' })).toBeDisabled();

  await form.getByLabel('Priority').selectOption('high');
  await form.getByRole('button', { name: 'Create ticket' }).click();
  await expect(form.getByRole('status')).toHaveText(/Ticket #\d+ created\./);
  const id = Number(/#(\d+)/.exec(await form.getByRole('status').textContent())[1]);

  // One suggestion more, its category accepted and its priority overridden.
  await expect.poll(() => suggestionsCount(page)).toBe(before.suggestions + 1);
  await expect
    .poll(() => share(page, 'Category', 'Accepted unchanged'))
    .toEqual([before.acceptedCategory[0] + 1, before.acceptedCategory[1] + 1]);
  const created = await snapshot(page);
  expect(created.acceptedPriority).toEqual([before.acceptedPriority[0], before.acceptedPriority[1] + 1]);
  expect(created.agreeCategory).toEqual([before.agreeCategory[0] + 1, before.agreeCategory[1] + 1]);
  expect(created.agreeBoth).toEqual([before.agreeBoth[0], before.agreeBoth[1] + 1]);
  expect(created.billingKept).toBe(before.billingKept + 1);
  expect(created.mediumToHigh).toBe(before.mediumToHigh + 1);

  // Later the team decides it was a technical problem: agreement drops, acceptance stays.
  await patchTicket(page, id, { category: 'technical' });
  await page.reload();
  const corrected = await snapshot(page);
  expect(corrected.suggestions).toBe(created.suggestions);
  expect(corrected.agreeCategory).toEqual([created.agreeCategory[0] - 1, created.agreeCategory[1]]);
  expect(corrected.acceptedCategory).toEqual(created.acceptedCategory);
  expect(corrected.billingKept).toBe(created.billingKept - 1);
  expect(corrected.billingToTechnical).toBe(created.billingToTechnical + 1);
});

test('shows similar tickets under the description before a duplicate is filed', async ({ page }) => {
  const word = unique('Frobnicator').toLowerCase();
  await page.goto('/');
  const form = page.getByRole('form', { name: 'New ticket' });
  await form.getByLabel('Title').fill(`The ${word} crashes on start`);
  await form.getByLabel('Description').fill(`Every morning the ${word} crashes with an error on start`);
  await form.getByLabel('Description').blur();
  await expect(form.getByLabel('Category')).toHaveValue('technical');
  await form.getByRole('button', { name: 'Create ticket' }).click();
  await expect(form.getByRole('status')).toHaveText(/Ticket #\d+ created\./);
  const id = /#(\d+)/.exec(await form.getByRole('status').textContent())[1];

  await form.getByLabel('Description').pressSequentially(`The ${word} crashed again`, { delay: 20 });
  const similar = form.getByRole('region', { name: 'Similar tickets' });
  const linkName = new RegExp(`#${id} The ${word} crashes on start`);
  const link = similar.getByRole('link', { name: linkName });
  await expect(link).toBeVisible();
  const item = similar.getByRole('listitem').filter({ has: page.getByRole('link', { name: linkName }) });
  await expect(item.getByText('Technical')).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${id}$`));
});
