// axe-core on every route and state, at desktop and phone widths, in light and
// dark: each must report nothing. A new page or state adds an entry to STATES.
import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, VIEWPORTS } from './axe.js';

const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';
const EMPTY_STATS = {
  total_tickets: 0,
  open_tickets: 0,
  avg_tickets_per_day: 0,
  priority_breakdown: { low: 0, medium: 0, high: 0, critical: 0 },
  category_breakdown: { billing: 0, technical: 0, account: 0, general: 0 },
};

const isApi = (path) => (url) => url.origin === new URL(API_URL).origin && url.pathname === path;

async function apiCreate(request, fields) {
  const response = await request.post(`${API_URL}/api/tickets/`, {
    data: { category: 'billing', priority: 'high', description: 'Checked for accessibility', ...fields },
  });
  expect(response.status()).toBe(201);
  return response.json();
}

async function listLoaded(page) {
  await expect(page.getByRole('list', { name: 'Tickets' })).toBeVisible();
}

// name -> how to reach the state, from a fresh page. `request` creates data through the API.
const STATES = {
  'queue with tickets': async (page, request) => {
    await apiCreate(request, { title: 'Charged twice', priority: 'critical', status: 'open' });
    await apiCreate(request, { title: 'Password reset', category: 'account', priority: 'low' });
    await page.goto('/');
    await listLoaded(page);
    await expect(page.getByText(/^Updated/)).toBeAttached();
  },
  'queue, no ticket matches the filters': async (page) => {
    await page.goto('/?search=no-such-ticket-anywhere&priority=critical');
    await expect(page.getByText('No tickets match these filters.')).toBeVisible();
  },
  'queue, no tickets yet': async (page) => {
    await page.route(isApi('/api/tickets/'), (route) => route.fulfill({ json: { results: [], next: null } }));
    await page.route(isApi('/api/tickets/stats/'), (route) => route.fulfill({ json: EMPTY_STATS }));
    await page.goto('/');
    await expect(page.getByText('No tickets yet.')).toBeVisible();
  },
  'queue, API unreachable': async (page) => {
    await page.route(`${API_URL}/api/**`, (route) => route.abort('connectionrefused'));
    await page.goto('/');
    const list = page.getByRole('region', { name: 'Tickets' });
    await expect(list.getByText('The ticket service is unreachable')).toBeVisible();
  },
  'queue, statistics and new-ticket form opened': async (page, request) => {
    await apiCreate(request, { title: 'Refund request' });
    await page.goto('/');
    await listLoaded(page);
    // On a phone both open from a button; wider screens always show them.
    for (const name of [/^Statistics/, 'New ticket']) {
      const toggle = page.getByRole('button', { name });
      if (await toggle.isVisible()) await toggle.click();
    }
    await expect(page.getByRole('figure', { name: 'By priority' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'New ticket' })).toBeVisible();
  },
  'ticket page': async (page, request) => {
    const ticket = await apiCreate(request, { title: 'Dashboard is down', category: 'technical' });
    await page.goto(`/tickets/${ticket.id}`);
    await expect(page.getByRole('heading', { name: 'Dashboard is down' })).toBeVisible();
  },
  'ticket page, no such ticket': async (page) => {
    await page.goto('/tickets/999999999');
    await expect(page.getByText('No such ticket')).toBeVisible();
  },
  'ticket page, API unreachable': async (page) => {
    await page.route(`${API_URL}/api/**`, (route) => route.abort('connectionrefused'));
    await page.goto('/tickets/1');
    await expect(page.getByText('The ticket service is unreachable')).toBeVisible();
  },
  'unknown address': async (page) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
  },
};

for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`accessibility at ${viewport.width} px`, () => {
    test.use({ viewport });
    for (const [state, reach] of Object.entries(STATES)) {
      test(`axe finds nothing: ${state}`, async ({ page, request }) => {
        await reach(page, request);
        await expectNoAxeViolations(page, `${state} (${viewportName})`);
      });
    }
  });
}
