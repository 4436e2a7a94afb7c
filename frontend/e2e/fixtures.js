// The suite's shared fixture: every test fails if the page logged an error or threw.
import { test as base, expect } from '@playwright/test';
import { API_URL } from './session.js';

/** The auto fixture; `expected` (a RegExp) names console errors a spec provokes on purpose. */
export function consoleErrors(expected = null) {
  return [
    async ({ page }, use) => {
      const errors = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !expected?.test(message.text())) errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ];
}

export const test = base.extend({ consoleErrors: consoleErrors() });
export { expect };

/** A label no other test run uses. */
export const unique = (label) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A ticket created through the API (`request`: a Playwright API client). */
export async function apiCreate(request, fields) {
  const response = await request.post(`${API_URL}/api/tickets/`, {
    data: { category: 'general', priority: 'medium', description: 'Created by the end-to-end suite', ...fields },
  });
  expect(response.status()).toBe(201);
  return response.json();
}
