import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../../App';
import '../../../test/pages';
import { ApiError } from '../../../lib/apiClient';
import { META } from '../../../test/fixtures';
import * as statsApi from '../../stats/api';
import * as triageApi from '../../triage/api';
import * as ticketsApi from '../api';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  listTickets: vi.fn(),
  updateTicket: vi.fn(),
  createTicket: vi.fn(),
  classifyTicket: vi.fn(),
  getTicketMeta: vi.fn(),
}));
vi.mock('../../stats/api', async (importOriginal) => ({
  ...(await importOriginal()),
  getStats: vi.fn(),
}));
vi.mock('../../triage/api', async (importOriginal) => ({
  ...(await importOriginal()),
  getTriageStats: vi.fn(),
  getSimilarTickets: vi.fn(),
}));

const api = { ...ticketsApi, ...statsApi, ...triageApi, ApiError };

const ticket = (id, fields = {}) => ({
  id,
  title: `Ticket ${id}`,
  description: `Description of ticket ${id}`,
  category: 'technical',
  priority: 'medium',
  status: 'open',
  created_at: '2026-02-17T10:30:00Z',
  ...fields,
});

const STATS = {
  total_tickets: 2,
  open_tickets: 2,
  avg_tickets_per_day: 2,
  priority_breakdown: { low: 0, medium: 2, high: 0, critical: 0 },
  category_breakdown: { billing: 0, technical: 2, account: 0, general: 0 },
};

function lastListFilters() {
  const calls = api.listTickets.mock.calls;
  return calls[calls.length - 1][0].filters;
}

beforeEach(() => {
  api.listTickets.mockReset().mockResolvedValue({ results: [ticket(2), ticket(1)], nextCursor: null });
  api.getStats.mockReset().mockResolvedValue(STATS);
  api.updateTicket.mockReset();
  api.createTicket.mockReset();
  api.classifyTicket
    .mockReset()
    .mockResolvedValue({ category: 'general', priority: 'low', isDefault: false, note: '' });
  api.getTicketMeta.mockReset().mockResolvedValue(META);
  api.getTriageStats.mockReset().mockRejectedValue(new ApiError('Not in this test', { status: 503 }));
  api.getSimilarTickets.mockReset().mockResolvedValue([]);
});

function cardFor(title) {
  return screen.getByRole('article', { name: title });
}

describe('ticket list', () => {
  it('shows each ticket as a card, newest first', async () => {
    render(<App />);
    const list = await screen.findByRole('list', { name: 'Tickets' });
    const cards = within(list).getAllByRole('article');
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(['Ticket 2', 'Ticket 1']);
    expect(within(cards[0]).getByLabelText('Status')).toHaveValue('open');
    expect(within(cards[0]).getByText('Technical')).toBeInTheDocument();
  });

  it('sends the chosen filters to the API and keeps them in the URL', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    expect(lastListFilters()).toEqual({});

    const filters = screen.getByRole('search', { name: 'Filters' });
    expect(within(filters).getByLabelText('Category').options[0]).toHaveTextContent('All');
    await user.selectOptions(within(filters).getByLabelText('Category'), 'billing');
    await user.selectOptions(within(filters).getByLabelText('Status'), 'in_progress');

    await waitFor(() => expect(lastListFilters()).toEqual({ category: 'billing', status: 'in_progress' }));
    expect(new URLSearchParams(window.location.search).get('category')).toBe('billing');
    expect(new URLSearchParams(window.location.search).get('status')).toBe('in_progress');
  });

  it('debounces the search box into one request', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    const callsBefore = api.listTickets.mock.calls.length;

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'login');

    await waitFor(() => expect(lastListFilters().search).toBe('login'));
    const searches = api.listTickets.mock.calls.slice(callsBefore).map((c) => c[0].filters.search);
    expect(searches).toEqual(['login']);
  });

  it('waits for 3 characters before searching while typing, and searches shorter words on Enter', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    const callsBefore = api.listTickets.mock.calls.length;
    const box = screen.getByRole('searchbox', { name: 'Search' });

    await user.type(box, 'ab');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(api.listTickets.mock.calls.slice(callsBefore).map((c) => c[0].filters.search)).toEqual([]);
    expect(box).toHaveAccessibleDescription('3+ characters, or press Enter');

    await user.keyboard('{Enter}');
    await waitFor(() => expect(lastListFilters().search).toBe('ab'));
    expect(box).not.toHaveAccessibleDescription();

    await user.type(box, 'c');
    await waitFor(() => expect(lastListFilters().search).toBe('abc'));
  });

  it('starts from the filters in a bookmarked URL', async () => {
    window.history.replaceState(null, '', '/?priority=critical&search=outage&category=nonsense');
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    // The unknown category is ignored rather than sent to the API.
    expect(api.listTickets.mock.calls[0][0].filters).toEqual({ priority: 'critical', search: 'outage' });
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('outage');
    await waitFor(() => expect(window.location.search).toBe('?priority=critical&search=outage'));
  });

  it('asks for the list and the statistics alongside the choices, once each', async () => {
    let answerMeta;
    api.getTicketMeta.mockReturnValue(new Promise((resolve) => (answerMeta = resolve)));
    render(<App />);
    await waitFor(() => expect(api.listTickets).toHaveBeenCalledTimes(1));
    expect(api.getStats).toHaveBeenCalledTimes(1);
    // The cards wait for the choices' labels.
    expect(screen.queryByRole('list', { name: 'Tickets' })).not.toBeInTheDocument();
    answerMeta(META);
    const list = await screen.findByRole('list', { name: 'Tickets' });
    expect(within(within(list).getAllByRole('article')[0]).getByText('Technical')).toBeInTheDocument();
    expect(api.listTickets).toHaveBeenCalledTimes(1);
    expect(api.getStats).toHaveBeenCalledTimes(1);
  });

  it('says clearly when nothing matches the filters', async () => {
    window.history.replaceState(null, '', '/?status=closed');
    api.listTickets.mockResolvedValue({ results: [], nextCursor: null });
    render(<App />);
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
  });

  it('saves a status change with PATCH and refreshes the statistics', async () => {
    const user = userEvent.setup();
    api.updateTicket.mockResolvedValue(ticket(2, { status: 'resolved' }));
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await waitFor(() => expect(api.getStats).toHaveBeenCalledTimes(1));

    await user.selectOptions(within(cardFor('Ticket 2')).getByLabelText('Status'), 'resolved');

    expect(api.updateTicket).toHaveBeenCalledWith(2, { status: 'resolved' });
    await waitFor(() => expect(api.getStats).toHaveBeenCalledTimes(2));
    expect(within(cardFor('Ticket 2')).getByLabelText('Status')).toHaveValue('resolved');
  });

  it('rolls a failed change back and says why', async () => {
    const user = userEvent.setup();
    let rejectSave;
    api.updateTicket.mockReturnValue(
      new Promise((_, reject) => {
        rejectSave = reject;
      }),
    );
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });

    const card = cardFor('Ticket 1');
    await user.selectOptions(within(card).getByLabelText('Status'), 'closed');
    // Shown at once, before the server answers.
    expect(within(card).getByLabelText('Status')).toHaveValue('closed');

    rejectSave(new api.ApiError('That ticket no longer exists.', { status: 404 }));
    await waitFor(() => expect(within(card).getByLabelText('Status')).toHaveValue('open'));
    expect(within(card).getByRole('alert')).toHaveTextContent(
      "Couldn't save the change: That ticket no longer exists.",
    );
  });

  it('changes priority from the card', async () => {
    const user = userEvent.setup();
    api.updateTicket.mockResolvedValue(ticket(1, { priority: 'critical' }));
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await user.selectOptions(within(cardFor('Ticket 1')).getByLabelText('Priority'), 'critical');
    expect(api.updateTicket).toHaveBeenCalledWith(1, { priority: 'critical' });
  });

  it('loads the next page with the cursor from the previous one', async () => {
    const user = userEvent.setup();
    api.listTickets
      .mockResolvedValueOnce({ results: [ticket(4), ticket(3)], nextCursor: 'next-1' })
      .mockResolvedValueOnce({ results: [ticket(2), ticket(1)], nextCursor: null });
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(4));
    expect(api.listTickets.mock.calls[1][0]).toMatchObject({ cursor: 'next-1' });
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('puts a new ticket at the top of the list', async () => {
    const user = userEvent.setup();
    api.createTicket.mockResolvedValue(ticket(3, { title: 'Brand new', category: 'general', priority: 'low' }));
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });

    const form = screen.getByRole('form', { name: 'New ticket' });
    await user.type(within(form).getByLabelText('Title'), 'Brand new');
    await user.type(within(form).getByLabelText('Description'), 'A question about how things work');
    await user.tab();
    await waitFor(() => expect(within(form).getByLabelText(/Category/)).toHaveValue('general'));
    await user.click(within(form).getByRole('button', { name: 'Create ticket' }));

    await waitFor(() => expect(screen.getAllByRole('article')[0]).toHaveAccessibleName('Brand new'));
    expect(api.getStats.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('offers a retry when the API cannot be reached', async () => {
    const user = userEvent.setup();
    const offline = new api.ApiError('Cannot reach the ticket service at http://localhost:8000.');
    api.listTickets.mockRejectedValueOnce(offline);
    api.getStats.mockRejectedValue(offline);
    render(<App />);

    const list = screen.getByRole('region', { name: 'Tickets' });
    expect(await within(list).findByText('The ticket service is unreachable')).toBeInTheDocument();
    await user.click(within(list).getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('list', { name: 'Tickets' })).toBeInTheDocument();
  });
});

describe('tickets created elsewhere', () => {
  it('offers to show tickets that arrived after the list was loaded', async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await waitFor(() => expect(api.getStats).toHaveBeenCalledTimes(1));
    expect(screen.queryByText(/arrived since the list was loaded/)).not.toBeInTheDocument();

    // Another agent creates a ticket; the next statistics refresh notices.
    api.getStats.mockResolvedValue({ ...STATS, total_tickets: 3, open_tickets: 3 });
    api.listTickets.mockResolvedValue({ results: [ticket(3), ticket(2), ticket(1)], nextCursor: null });
    api.updateTicket.mockResolvedValue(ticket(1, { priority: 'high' }));
    await user.selectOptions(within(cardFor('Ticket 1')).getByLabelText('Priority'), 'high');

    expect(await screen.findByText('1 new ticket has arrived since the list was loaded.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show new tickets' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(3));
    expect(screen.queryByText(/arrived since the list was loaded/)).not.toBeInTheDocument();
  });

  it("does not count the agent's own new ticket as an arrival", async () => {
    const user = userEvent.setup();
    api.createTicket.mockResolvedValue(ticket(3, { title: 'Mine', category: 'general', priority: 'low' }));
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });
    await waitFor(() => expect(api.getStats).toHaveBeenCalledTimes(1));
    api.getStats.mockResolvedValue({ ...STATS, total_tickets: 3 });

    const form = screen.getByRole('form', { name: 'New ticket' });
    await user.type(within(form).getByLabelText('Title'), 'Mine');
    await user.type(within(form).getByLabelText('Description'), 'A question about how things work');
    await user.tab();
    await waitFor(() => expect(within(form).getByLabelText(/Category/)).toHaveValue('general'));
    await user.click(within(form).getByRole('button', { name: 'Create ticket' }));

    await waitFor(() => expect(api.getStats).toHaveBeenCalledTimes(2));
    const statsRegion = screen.getByRole('region', { name: 'Statistics' });
    await waitFor(() => expect(within(statsRegion).getByText('Total').nextElementSibling).toHaveTextContent('3'));
    expect(screen.queryByText(/arrived since the list was loaded/)).not.toBeInTheDocument();
  });
});

describe('creating under filters', () => {
  it('says when the current filters hide the new ticket', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?category=billing');
    api.createTicket.mockResolvedValue(ticket(9, { title: 'Elsewhere', category: 'general', priority: 'low' }));
    render(<App />);
    await screen.findByRole('list', { name: 'Tickets' });

    const form = screen.getByRole('form', { name: 'New ticket' });
    await user.type(within(form).getByLabelText('Title'), 'Elsewhere');
    await user.type(within(form).getByLabelText('Description'), 'A question about how things work');
    await user.tab();
    await waitFor(() => expect(within(form).getByLabelText(/Category/)).toHaveValue('general'));
    await user.click(within(form).getByRole('button', { name: 'Create ticket' }));

    expect(await screen.findByText('Ticket #9 was created but the current filters hide it.')).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: 'Elsewhere' })).not.toBeInTheDocument();
  });
});

describe('recovery', () => {
  it('reloads an unreachable list by itself once the API answers again', async () => {
    const offline = new api.ApiError('Cannot reach the ticket service.');
    api.getStats.mockRejectedValueOnce(offline);
    api.listTickets.mockRejectedValueOnce(offline);
    render(<App />);
    const list = screen.getByRole('region', { name: 'Tickets' });
    expect(await within(list).findByText('The ticket service is unreachable')).toBeInTheDocument();

    // The next statistics poll succeeds: the list follows without a click.
    await userEvent.click(
      within(screen.getByRole('region', { name: 'Statistics' })).getByRole('button', { name: 'Retry' }),
    );
    expect(await screen.findByRole('list', { name: 'Tickets' })).toBeInTheDocument();
  });
});

describe('the new-ticket form on a narrow screen', () => {
  it('opens from a button that moves the focus to the title', async () => {
    const user = userEvent.setup();
    render(<App />);
    const toggle = screen.getByRole('button', { name: 'New ticket' });
    const form = screen.getByRole('form', { name: 'New ticket' });
    expect(toggle).toHaveAttribute('aria-controls', form.id);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(within(form).getByLabelText('Title')).toHaveFocus();
  });
});
