import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App';
import '../../../test/pages';
import { ApiError } from '../../../lib/apiClient';
import { META } from '../../../test/fixtures';
import { getStats } from '../../stats/api';
import { getTicket, getTicketMeta, listTickets } from '../api';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  listTickets: vi.fn(),
  getTicket: vi.fn(),
  getTicketMeta: vi.fn(),
}));
vi.mock('../../stats/api', async (importOriginal) => ({
  ...(await importOriginal()),
  getStats: vi.fn(),
}));

const TICKET = {
  id: 7,
  title: 'Twice charged',
  description: 'The card statement shows the same invoice twice.',
  category: 'billing',
  priority: 'high',
  status: 'in_progress',
  created_at: '2026-02-17T10:30:00Z',
};

beforeEach(() => {
  getTicketMeta.mockReset().mockResolvedValue(META);
  getTicket.mockReset().mockResolvedValue(TICKET);
  listTickets.mockReset().mockResolvedValue({ results: [TICKET], nextCursor: null });
  getStats.mockReset().mockResolvedValue({
    total_tickets: 1,
    open_tickets: 0,
    avg_tickets_per_day: 1,
    priority_breakdown: { low: 0, medium: 0, high: 1, critical: 0 },
    category_breakdown: { billing: 1, technical: 0, account: 0, general: 0 },
  });
});

describe('ticket page', () => {
  it('opens from a deep link and shows the ticket with its labels', async () => {
    window.history.replaceState(null, '', '/tickets/7');
    render(<App />);

    const ticket = await screen.findByRole('article', { name: 'Twice charged' });
    expect(within(ticket).getByText('The card statement shows the same invoice twice.')).toBeInTheDocument();
    expect(await within(ticket).findByText('Billing')).toBeInTheDocument();
    expect(within(ticket).getByText('High')).toBeInTheDocument();
    expect(within(ticket).getByText('In progress')).toBeInTheDocument();
    expect(getTicket).toHaveBeenCalledWith(7, expect.anything());
  });

  it('asks for the ticket and the choices once each, while its code downloads', async () => {
    window.history.replaceState(null, '', '/tickets/7');
    render(<App />);
    expect(await screen.findByText('Billing')).toBeInTheDocument();
    await waitFor(() => expect(getTicketMeta).toHaveBeenCalledTimes(1));
    expect(getTicket).toHaveBeenCalledTimes(1);
  });

  it('says there is no such ticket when the API answers 404', async () => {
    getTicket.mockRejectedValue(new ApiError('Not found.', { status: 404 }));
    window.history.replaceState(null, '', '/tickets/999');
    render(<App />);
    expect(await screen.findByText('No such ticket')).toBeInTheDocument();
  });

  it('does not ask the API for an id that cannot exist', async () => {
    window.history.replaceState(null, '', '/tickets/abc');
    render(<App />);
    expect(await screen.findByText('No such ticket')).toBeInTheDocument();
    expect(getTicket).not.toHaveBeenCalled();
  });

  it('is reached from a card and Back returns to the filtered queue', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?category=billing');
    render(<App />);

    const list = await screen.findByRole('list', { name: 'Tickets' });
    await user.click(within(list).getByRole('link', { name: 'Twice charged' }));
    expect(window.location.pathname).toBe('/tickets/7');
    expect(await screen.findByRole('heading', { name: 'Twice charged', level: 2 })).toBeInTheDocument();

    window.history.back();
    await waitFor(() => expect(window.location.pathname).toBe('/'));
    expect(await screen.findByRole('list', { name: 'Tickets' })).toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('category')).toBe('billing');
    expect(screen.getByRole('search', { name: 'Filters' })).toBeInTheDocument();
  });

  it('links back to the queue with the filters it was opened from', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?priority=high');
    render(<App />);
    const list = await screen.findByRole('list', { name: 'Tickets' });
    await user.click(within(list).getByRole('link', { name: 'Twice charged' }));

    await user.click(await screen.findByRole('link', { name: /Back to the queue/ }));
    expect(window.location.pathname).toBe('/');
    expect(window.location.search).toBe('?priority=high');
  });

  it('shows a not-found page for an unknown address', async () => {
    window.history.replaceState(null, '', '/nowhere');
    render(<App />);
    expect(await screen.findByText('Page not found')).toBeInTheDocument();
  });
});
