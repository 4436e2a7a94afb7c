import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App';
import '../../../test/pages';
import { ApiError } from '../../../lib/apiClient';
import { META } from '../../../test/fixtures';
import * as statsApi from '../../stats/api';
import * as ticketsApi from '../../tickets/api';
import * as queueApi from '../api';

vi.mock('../../tickets/api', async (importOriginal) => ({
  ...(await importOriginal()),
  listTickets: vi.fn(),
  getTicketMeta: vi.fn(),
  getTicket: vi.fn(),
}));
vi.mock('../../stats/api', async (importOriginal) => ({ ...(await importOriginal()), getStats: vi.fn() }));
vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  bulkUpdate: vi.fn(),
  countMatching: vi.fn(),
  listAgents: vi.fn(),
}));

const api = { ...ticketsApi, ...statsApi, ...queueApi };

const ticket = (id) => ({
  id,
  title: `Ticket ${id}`,
  description: `Description of ticket ${id}`,
  category: 'technical',
  priority: 'medium',
  status: 'open',
  created_at: '2026-02-17T10:30:00Z',
});

const STATS = {
  total_tickets: 5,
  open_tickets: 5,
  avg_tickets_per_day: 5,
  priority_breakdown: { low: 0, medium: 5, high: 0, critical: 0 },
  category_breakdown: { billing: 0, technical: 5, account: 0, general: 0 },
};

beforeEach(() => {
  api.listTickets.mockReset().mockResolvedValue({ results: [5, 4, 3, 2, 1].map(ticket), nextCursor: null });
  api.getTicketMeta.mockReset().mockResolvedValue(META);
  api.getTicket.mockReset().mockResolvedValue(ticket(4));
  api.getStats.mockReset().mockResolvedValue(STATS);
  api.bulkUpdate.mockReset().mockResolvedValue({ updated: 3 });
  api.countMatching.mockReset().mockResolvedValue(5);
  api.listAgents.mockReset().mockResolvedValue([{ id: 7, username: 'ana', name: 'Ana Agent' }]);
});

function lastListFilters() {
  const calls = api.listTickets.mock.calls;
  return calls[calls.length - 1][0].filters;
}

const checkbox = (id) => screen.getByRole('checkbox', { name: `Select ticket #${id}`, exact: true });

describe('sorting', () => {
  it('sends the chosen ordering and keeps it in the URL beside the filters', async () => {
    window.history.replaceState(null, '', '/?status=open');
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'Oldest first');
    await waitFor(() => expect(lastListFilters()).toEqual({ status: 'open', ordering: 'created_at' }));
    expect(window.location.search).toBe('?status=open&ordering=created_at');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'Newest first');
    await waitFor(() => expect(window.location.search).toBe('?status=open'));
  });

  it('starts from the ordering in a bookmarked URL', async () => {
    window.history.replaceState(null, '', '/?ordering=-priority');
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('-priority');
    expect(lastListFilters()).toEqual({ ordering: '-priority' });
  });
});

describe('bulk changes', () => {
  it('selects a range with shift-click, confirms the count and sends the ids', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.click(checkbox(4));
    await user.keyboard('{Shift>}');
    await user.click(checkbox(2));
    await user.keyboard('{/Shift}');
    expect([5, 4, 3, 2, 1].map((id) => checkbox(id).checked)).toEqual([false, true, true, true, false]);

    const bar = screen.getByRole('region', { name: 'Bulk changes' });
    expect(within(bar).getByText('3 tickets selected')).toBeInTheDocument();
    await user.selectOptions(within(bar).getByRole('combobox', { name: 'To' }), 'resolved');
    await user.click(within(bar).getByRole('button', { name: 'Apply…' }));
    expect(within(bar).getByText(/Set status to .* on 3 tickets\?/)).toBeInTheDocument();
    expect(api.bulkUpdate).not.toHaveBeenCalled();
    const statsCalls = api.getStats.mock.calls.length;
    await user.click(within(bar).getByRole('button', { name: 'Update 3 tickets' }));

    expect(api.bulkUpdate).toHaveBeenCalledWith({ ids: [4, 3, 2] }, { status: 'resolved' });
    expect(await screen.findByText(/Updated 3 tickets/)).toBeInTheDocument();
    await waitFor(() => expect(api.getStats.mock.calls.length).toBeGreaterThan(statsCalls));
    expect(checkbox(3).checked).toBe(false);
  });

  it('selects every matching ticket by the filter and shows the limit error inline', async () => {
    window.history.replaceState(null, '', '/?status=open&ordering=created_at');
    api.countMatching.mockResolvedValue(12000);
    api.bulkUpdate.mockRejectedValue(
      new ApiError('Please correct the highlighted fields.', {
        status: 400,
        fieldErrors: { filter: 'The filter matches 12,000 tickets; at most 10,000 per request.' },
      }),
    );
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.click(checkbox(5));
    await user.click(await screen.findByRole('button', { name: 'Select all 12,000 matching' }));
    expect(screen.getByText('All 12,000 tickets matching this view selected')).toBeInTheDocument();

    const bar = screen.getByRole('region', { name: 'Bulk changes' });
    await user.selectOptions(within(bar).getByRole('combobox', { name: 'Change' }), 'assignee');
    await user.selectOptions(await within(bar).findByRole('combobox', { name: 'To' }), 'Ana Agent');
    await user.click(within(bar).getByRole('button', { name: 'Apply…' }));
    await user.click(within(bar).getByRole('button', { name: 'Update 12,000 tickets' }));

    expect(api.bulkUpdate).toHaveBeenCalledWith({ filter: { status: 'open' } }, { assignee: 7 });
    expect(await within(bar).findByRole('alert')).toHaveTextContent(
      'The filter matches 12,000 tickets; at most 10,000',
    );
  });
});

describe('keyboard', () => {
  it('moves with j/k, selects with x and opens with Enter', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.keyboard('jj');
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'Ticket 4' }));
    await user.keyboard('jk');
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'Ticket 4' }));
    await user.keyboard('x');
    expect(checkbox(4).checked).toBe(true);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(window.location.pathname).toBe('/tickets/4'));
  });

  it('does nothing while typing, and / focuses the search', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.keyboard('/');
    const search = screen.getByRole('searchbox', { name: 'Search' });
    expect(document.activeElement).toBe(search);
    await user.keyboard('jx/');
    expect(search).toHaveValue('jx/');
    expect(checkbox(5).checked).toBe(false);
    await user.keyboard('{Escape}j');
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'Ticket 5' }));
  });

  it('shows the shortcuts in a dialog that keeps focus and closes with Escape', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    await user.tab();
    expect(document.activeElement).toBe(close);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
