import { describe, expect, it } from 'vitest';
import { htmlFor } from './pages.js';

describe('the HTML file for a path', () => {
  it('is the ticket page for a ticket', () => {
    expect(htmlFor('/tickets/42')).toBe('ticket.html');
    expect(htmlFor('/tickets/42/')).toBe('ticket.html');
  });

  it('is index.html for the queue and every other path', () => {
    expect(htmlFor('/')).toBe('index.html');
    expect(htmlFor('/sign-in')).toBe('index.html');
    expect(htmlFor('/tickets/42/history')).toBe('index.html');
  });
});
