// The ticket page against the real API: edit in place, comments and history
// in one timeline, back to the same place in the queue, and two agents
// editing the same ticket (If-Match / 412).
import { apiCreate, expect, test, unique } from './fixtures.js';
import { API_URL } from './session.js';

/** The name the timeline shows for what this browser does: the signed-in agent's, or "API" in open mode. */
async function actorName(request) {
  const response = await request.get(`${API_URL}/api/auth/me/`);
  if (!response.ok()) return 'API';
  const me = await response.json();
  return me.name || me.username || 'API';
}

function ticketCards(page) {
  return page.getByRole('list', { name: 'Tickets' }).getByRole('article');
}

test('edits a ticket from the queue, comments safely, sees it all in the timeline, and goes back to the same place', async ({
  page,
}) => {
  const tag = unique('page');
  for (let i = 1; i <= 30; i += 1) {
    await apiCreate(page.request, { title: `${tag} number ${i}` });
  }
  const name = await actorName(page.request);

  await page.goto(`/?search=${tag}`);
  await expect(ticketCards(page)).toHaveCount(30);
  const target = `${tag} number 8`;
  const card = page.getByRole('article', { name: target });
  await card.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 200);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  // The wheel scrolls smoothly: wait until the page has come to rest.
  let scrolled = -1;
  await expect
    .poll(async () => {
      const before = scrolled;
      scrolled = await page.evaluate(() => window.scrollY);
      return scrolled === before;
    })
    .toBe(true);

  await card.getByRole('link', { name: target }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  const ticket = page.getByRole('article', { name: target });

  // Edit the title in place.
  const newTitle = `${tag} number 8 (renamed)`;
  await ticket.getByRole('button', { name: 'Edit title' }).click();
  await ticket.getByRole('textbox', { name: 'Title' }).fill(newTitle);
  await ticket.getByRole('button', { name: 'Save title' }).click();
  await expect(page.getByRole('heading', { name: newTitle, level: 2 })).toBeVisible();

  // Change the priority.
  await page.getByRole('combobox', { name: 'Priority' }).selectOption('high');
  await expect(page.getByText('Saving…')).toHaveCount(0);

  // A comment with a link and a script tag.
  const body = 'Customer sent proof: https://example.com/receipt?id=7\n<script>window.__pwned = 1</script> done';
  await page.getByRole('textbox', { name: 'Add a comment' }).fill(body);
  await page.getByRole('button', { name: 'Add comment' }).click();

  const timeline = page.getByRole('list', { name: 'Activity' });
  await expect(
    timeline.getByRole('article', { name: `Changed by ${name}` }).filter({ hasText: 'Title:' }),
  ).toContainText(`Title: “${tag} number 8” -> “${newTitle}”`);
  await expect(
    timeline.getByRole('article', { name: `Changed by ${name}` }).filter({ hasText: 'Priority:' }),
  ).toContainText('Priority: Medium -> High');
  const comment = timeline.getByRole('article', { name: `Comment by ${name}` });
  await expect(comment).toContainText('<script>window.__pwned = 1</script> done');
  const link = comment.getByRole('link', { name: 'https://example.com/receipt?id=7' });
  await expect(link).toHaveAttribute('href', 'https://example.com/receipt?id=7');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(comment.locator('script')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  // Newest last: the comment comes after both changes.
  const labels = await timeline
    .getByRole('article')
    .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
  expect(labels.at(-1)).toBe(`Comment by ${name}`);

  // The comment survives a reload exactly as typed.
  await page.reload();
  await expect(
    page.getByRole('list', { name: 'Activity' }).getByRole('article', { name: `Comment by ${name}` }),
  ).toContainText('Customer sent proof');
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/\\?search=${tag}$`));
  await expect(ticketCards(page)).toHaveCount(30);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled - 40);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThan(40);
  await expect(page.getByRole('article', { name: newTitle })).toBeInViewport();
});

test('two agents edit the same ticket: the second sees "Changed by someone else" and re-applies', async ({
  browser,
  page,
  consoleErrors,
}) => {
  const title = unique('Contested');
  const created = await apiCreate(page.request, { title, priority: 'low' });
  const storageState = test.info().project.use.storageState;
  const other = await browser.newContext(storageState ? { storageState } : {});
  // The second agent's app has no live stream (as when it is offline or down), so its
  // page keeps the version it loaded; with the stream it would be brought up to date.
  await other.route(
    (url) => url.pathname.startsWith('/api/events'),
    (route) => route.abort(),
  );
  const second = await other.newPage();

  await page.goto(`/tickets/${created.id}`);
  await second.goto(`/tickets/${created.id}`);
  await expect(page.getByRole('heading', { name: title, level: 2 })).toBeVisible();
  await expect(second.getByRole('heading', { name: title, level: 2 })).toBeVisible();

  await page.getByRole('combobox', { name: 'Priority' }).selectOption('critical');
  await expect
    .poll(async () => (await (await page.request.get(`${API_URL}/api/tickets/${created.id}/`)).json()).priority)
    .toBe('critical');

  // The second agent's page still holds the first version.
  await second.getByRole('combobox', { name: 'Status' }).selectOption('resolved');
  const notice = second.getByRole('alert').filter({ hasText: 'Changed by someone else' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Now: Open; yours: Resolved');
  await expect(second.getByRole('combobox', { name: 'Priority' })).toHaveValue('critical');
  let current = await (await page.request.get(`${API_URL}/api/tickets/${created.id}/`)).json();
  expect(current.status).toBe('open');

  await notice.getByRole('button', { name: 'Re-apply my changes' }).click();
  await expect(notice).toHaveCount(0);
  current = await (await page.request.get(`${API_URL}/api/tickets/${created.id}/`)).json();
  expect([current.priority, current.status]).toEqual(['critical', 'resolved']);
  await other.close();
  // The 412 belongs to the second page, whose console is not watched; nothing else may be logged.
  expect(consoleErrors).toEqual([]);
});

test('an unknown ticket id is a clear "No such ticket" page', async ({ page, consoleErrors }) => {
  await page.goto('/tickets/987654321');
  await expect(page.getByRole('heading', { name: 'No such ticket' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Back to the queue/ })).toBeVisible();
  const unexpected = consoleErrors.filter((text) => !/status of 404|Failed to load resource/.test(text));
  expect(unexpected).toEqual([]);
  consoleErrors.length = 0;
});
