import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeHttp } from '../../../test/fakeHttp';
import { renderWithProviders } from '../../../test/render';
import TicketPage from './TicketPage';

const fake = installFakeHttp();
// A save is a PATCH and refetches; give them time on a busy machine.
configure({ asyncUtilTimeout: 4000 });

const AGENTS = [
  { id: 4, username: 'ada', name: 'Ada Lovelace' },
  { id: 5, username: 'bob', name: 'Bob Byte' },
];

let server;

function respond(config, status, data, headers = {}) {
  return { data, status, statusText: String(status), headers, config };
}

function version(ticket) {
  return `"v${ticket.version}"`;
}

beforeEach(() => {
  server = {
    ticket: {
      id: 7,
      title: 'Twice charged',
      description: 'The card statement shows the same invoice twice.',
      category: 'billing',
      priority: 'medium',
      status: 'open',
      assignee: null,
      created_at: '2026-02-17T10:30:00Z',
      updated_at: '2026-02-17T10:30:00Z',
      version: 1,
    },
    history: [
      {
        id: 1,
        at: '2026-02-17T10:30:00Z',
        actor: null,
        via: 'api',
        changes: { title: [null, 'Twice charged'], priority: [null, 'medium'] },
      },
    ],
    comments: [],
  };
  fake.respond = (config) => {
    const url = config.url;
    if (url === '/agents/') return respond(config, 200, AGENTS);
    if (url === '/tickets/7/history/') return respond(config, 200, { next: null, results: server.history });
    if (url === '/tickets/7/comments/') return respond(config, 200, { next: null, results: server.comments });
    if (url === '/tickets/7/' && config.method === 'get')
      return respond(config, 200, server.ticket, { etag: version(server.ticket) });
    if (url === '/tickets/7/' && config.method === 'patch') {
      const ifMatch = config.headers['If-Match'];
      if (ifMatch && ifMatch !== version(server.ticket)) {
        return respond(
          config,
          412,
          { detail: 'The ticket was changed by someone else; nothing was written.', ticket: server.ticket },
          { etag: version(server.ticket) },
        );
      }
      const changes = JSON.parse(config.data);
      server.ticket = { ...server.ticket, ...changes, version: server.ticket.version + 1 };
      return respond(config, 200, server.ticket, { etag: version(server.ticket) });
    }
    return respond(config, 404, { detail: 'Not found.' });
  };
});

function renderPage() {
  return renderWithProviders(
    <Routes>
      <Route path="/tickets/:id" element={<TicketPage />} />
    </Routes>,
    { route: '/tickets/7' },
  );
}

const patches = () => fake.requests.filter((r) => r.method === 'patch');

// Several requests per test; generous on a busy machine.
describe('editing on the ticket page', { timeout: 20000 }, () => {
  it('sends the ETag of the last read in If-Match, and the next one after a save', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Twice charged', level: 2 });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'high');
    await waitFor(() => expect(server.ticket.priority).toBe('high'));
    expect(patches()[0].headers['If-Match']).toBe('"v1"');

    await user.click(screen.getByRole('button', { name: 'Edit title' }));
    const title = screen.getByRole('textbox', { name: 'Title' });
    await user.clear(title);
    await user.type(title, 'Charged twice in March');
    await user.click(screen.getByRole('button', { name: 'Save title' }));

    expect(await screen.findByRole('heading', { name: 'Charged twice in March', level: 2 })).toBeInTheDocument();
    expect(patches()[1].headers['If-Match']).toBe('"v2"');
    expect(JSON.parse(patches()[1].data)).toEqual({ title: 'Charged twice in March' });
  });

  it('on 412 shows "Changed by someone else" with the new values and writes nothing until re-applied', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Twice charged', level: 2 });

    // Someone else raises it to critical and assigns Bob meanwhile.
    server.ticket = { ...server.ticket, priority: 'critical', assignee: 5, version: 2 };

    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'low');

    const notice = await screen.findByRole('alert');
    expect(within(notice).getByText('Changed by someone else')).toBeInTheDocument();
    expect(within(notice).getByText(/Now: Critical; yours: Low/)).toBeInTheDocument();
    expect(server.ticket.priority).toBe('critical');
    // The page shows the ticket as it is now, not the agent's value.
    expect(screen.getByRole('combobox', { name: 'Priority' })).toHaveValue('critical');
    expect(screen.getByRole('combobox', { name: 'Assignee' })).toHaveDisplayValue('Bob Byte');

    await user.click(within(notice).getByRole('button', { name: 'Re-apply my changes' }));
    await waitFor(() => expect(server.ticket.priority).toBe('low'));
    expect(patches().at(-1).headers['If-Match']).toBe('"v2"');
    await waitFor(() => expect(screen.queryByText('Changed by someone else')).not.toBeInTheDocument());
    expect(screen.getByRole('combobox', { name: 'Priority' })).toHaveValue('low');
  });

  it("discarding after a 412 keeps the other agent's values", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Twice charged', level: 2 });
    server.ticket = { ...server.ticket, title: 'Renamed elsewhere', version: 2 };

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'resolved');
    const notice = await screen.findByRole('alert');
    await user.click(within(notice).getByRole('button', { name: 'Discard my changes' }));

    expect(screen.queryByText('Changed by someone else')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Renamed elsewhere', level: 2 })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('open');
    expect(patches()).toHaveLength(1);
  });

  it('shows an assignee that is no longer an active agent as "Agent #id"', async () => {
    server.ticket = { ...server.ticket, assignee: 42 };
    renderPage();
    const select = await screen.findByRole('combobox', { name: 'Assignee' });
    await waitFor(() => expect(select).toHaveDisplayValue('Agent #42'));
  });

  it('shows comments and changes in one timeline with who made them, and adds a comment', async () => {
    const user = userEvent.setup();
    server.history.push({
      id: 2,
      at: '2026-02-17T11:00:00Z',
      actor: { id: 4, name: 'Ada Lovelace' },
      via: 'api',
      changes: { priority: ['medium', 'high'], assignee: [null, 5] },
    });
    server.comments.push({
      id: 9,
      body: 'Refund sent',
      author: { id: 5, name: 'Bob Byte' },
      created_at: '2026-02-17T10:45:00Z',
    });
    renderPage();

    const timeline = await screen.findByRole('list', { name: 'Activity' });
    const items = within(timeline).getAllByRole('article');
    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual([
      'Created by API',
      'Comment by Bob Byte',
      'Changed by Ada Lovelace',
    ]);
    expect(within(items[2]).getByText('Priority: Medium -> High')).toBeInTheDocument();
    expect(await within(items[2]).findByText('Assignee: Unassigned -> Bob Byte')).toBeInTheDocument();

    fake.respond = ((previous) => (config) => {
      if (config.url === '/tickets/7/comments/' && config.method === 'post') {
        const comment = {
          id: 10,
          body: JSON.parse(config.data).body,
          author: null,
          created_at: '2026-02-17T12:00:00Z',
        };
        server.comments.push(comment);
        return respond(config, 201, comment);
      }
      return previous(config);
    })(fake.respond);

    await user.type(
      screen.getByRole('textbox', { name: 'Add a comment' }),
      'See https://example.com <script>x</script>',
    );
    await user.click(screen.getByRole('button', { name: 'Add comment' }));
    const added = await within(timeline).findByRole('article', { name: 'Comment by API' });
    expect(within(added).getByRole('link', { name: 'https://example.com' })).toHaveAttribute(
      'rel',
      'noopener noreferrer',
    );
    expect(added.querySelector('script')).toBeNull();
    expect(added).toHaveTextContent('<script>x</script>');
  });
});
