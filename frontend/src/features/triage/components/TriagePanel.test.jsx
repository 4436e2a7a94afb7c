import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/apiClient';
import { renderWithProviders as render } from '../../../test/render';
import { getTriageStats } from '../api';
import TriagePanel from './TriagePanel';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  getTriageStats: vi.fn(),
}));

const LABELS = {
  category: ['billing', 'technical', 'account', 'general'],
  priority: ['low', 'medium', 'high', 'critical'],
};

function matrix(field, cells = {}) {
  const rows = {};
  for (const suggested of LABELS[field]) {
    rows[suggested] = {};
    for (const current of LABELS[field]) rows[suggested][current] = cells[`${suggested}>${current}`] ?? 0;
  }
  return rows;
}

function block(fields = {}) {
  return {
    suggestions: 0,
    tickets_created: 0,
    accepted_unchanged: { category: null, priority: null, both: null },
    agreement_now: { category: null, priority: null, both: null },
    confusion: { category: matrix('category'), priority: matrix('priority') },
    fallback_rate: null,
    fallback_reasons: {},
    latency_ms: { p50: null, p95: null },
    tokens_per_suggestion: { prompt: null, completion: null, total: null },
    ...fields,
  };
}

// Four suggestions, two tickets created from them: one accepted as suggested
// and later moved from billing to technical, one with its priority overridden.
const STATS = {
  days: 30,
  since: '2026-10-30T00:00:00Z',
  ...block({
    suggestions: 4,
    tickets_created: 2,
    accepted_unchanged: { category: 1, priority: 0.5, both: 0.5 },
    agreement_now: { category: 0.5, priority: 0.5, both: 0 },
    confusion: {
      category: matrix('category', { 'billing>technical': 1, 'account>account': 1 }),
      priority: matrix('priority', { 'medium>medium': 1, 'medium>high': 1 }),
    },
    fallback_rate: 0.25,
    fallback_reasons: { no_key: 1 },
    latency_ms: { p50: 120.4, p95: 1480 },
    tokens_per_suggestion: { prompt: 250, completion: 12.5, total: 262.5 },
  }),
  by_source: { llm: block(), similar: block(), default: block() },
  by_model: {},
};

function panel() {
  return screen.getByRole('region', { name: 'AI triage' });
}

function shareCell(field, column) {
  const table = within(panel()).getByRole('table', { name: 'Tickets created from a suggestion' });
  const columns = within(table)
    .getAllByRole('columnheader')
    .map((c) => c.textContent);
  const row = within(table).getByRole('row', { name: new RegExp(`^${field}`) });
  return within(row).getAllByRole('cell')[columns.indexOf(column)];
}

function confusionCell(caption, suggested, current) {
  const table = within(panel()).getByRole('table', { name: caption });
  const columns = within(table)
    .getAllByRole('columnheader')
    .map((c) => c.textContent);
  const row = within(table).getByRole('rowheader', { name: suggested }).closest('tr');
  return within(row).getAllByRole('cell')[columns.indexOf(current)];
}

beforeEach(() => {
  getTriageStats.mockReset();
});

describe('TriagePanel', () => {
  it('shows acceptance and agreement per field, with the counts behind each share', async () => {
    getTriageStats.mockResolvedValue(STATS);
    render(<TriagePanel />);
    expect(await within(panel()).findByText('2 became tickets', {}, { timeout: 3000 })).toBeInTheDocument();

    expect(shareCell('Category', 'Accepted unchanged')).toHaveTextContent('100%2 of 2');
    expect(shareCell('Priority', 'Accepted unchanged')).toHaveTextContent('50%1 of 2');
    expect(shareCell('Both', 'Accepted unchanged')).toHaveTextContent('50%1 of 2');
    expect(shareCell('Category', 'Agrees now')).toHaveTextContent('50%1 of 2');
    expect(shareCell('Both', 'Agrees now')).toHaveTextContent('0%0 of 2');
  });

  it('draws each confusion matrix as a table with a number in every cell', async () => {
    getTriageStats.mockResolvedValue(STATS);
    render(<TriagePanel />);
    const table = await within(panel()).findByRole('table', { name: 'Category: suggested × now' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((c) => c.textContent),
    ).toEqual(['Billing', 'Technical', 'Account', 'General']);
    await waitFor(() =>
      expect(confusionCell('Category: suggested × now', 'Billing', 'Technical')).toHaveTextContent('1'),
    );
    const moved = confusionCell('Category: suggested × now', 'Billing', 'Technical');
    expect(moved).toHaveClass('confusion__cell--miss');
    expect(moved.style.getPropertyValue('--tint')).toBe('45%');
    const agreed = confusionCell('Category: suggested × now', 'Account', 'Account');
    expect(agreed).toHaveTextContent('1');
    expect(agreed).toHaveClass('confusion__cell--agree');
    const empty = confusionCell('Category: suggested × now', 'General', 'Billing');
    expect(empty).toHaveTextContent('0');
    expect(empty.style.getPropertyValue('--tint')).toBe('0%');
    expect(confusionCell('Priority: suggested × now', 'Medium', 'High')).toHaveTextContent('1');
  });

  it('shows the fallback rate with its reasons, the latency and the tokens', async () => {
    getTriageStats.mockResolvedValue(STATS);
    render(<TriagePanel />);
    const metric = (label) => within(panel()).getByText(label).closest('div');
    await waitFor(() => expect(metric('Fallback rate')).toHaveTextContent('25%'));
    expect(metric('Fallback rate')).toHaveTextContent('no API key 1');
    expect(metric('Latency')).toHaveTextContent('120 ms');
    expect(metric('Latency')).toHaveTextContent('p95 1.5 s');
    expect(metric('Tokens / suggestion')).toHaveTextContent('263');
    expect(metric('Tokens / suggestion')).toHaveTextContent('250 in · 13 out');
  });

  it('asks for the chosen period', async () => {
    getTriageStats.mockResolvedValue(STATS);
    const user = userEvent.setup();
    render(<TriagePanel />);
    await waitFor(() => expect(getTriageStats).toHaveBeenCalledWith(30, expect.anything()));
    await user.selectOptions(within(panel()).getByLabelText('Period'), '7');
    await waitFor(() => expect(getTriageStats).toHaveBeenLastCalledWith(7, expect.anything()));
  });

  it('keeps its layout while loading, and says when there is nothing yet', async () => {
    let answer;
    getTriageStats.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    render(<TriagePanel />);
    expect(within(panel()).getByText(/Loading AI triage figures/)).toBeInTheDocument();
    expect(panel()).toHaveAttribute('aria-busy', 'true');
    expect(within(panel()).getAllByRole('table')).toHaveLength(3);
    expect(shareCell('Category', 'Agrees now')).toHaveTextContent('–');

    answer({ days: 30, since: STATS.since, ...block(), by_source: {}, by_model: {} });
    expect(await within(panel()).findByText('No suggestions in the last 30 days yet.')).toBeInTheDocument();
    expect(within(panel()).getAllByRole('table')).toHaveLength(3);
  });

  it('contains an error with a retry', async () => {
    getTriageStats.mockRejectedValueOnce(new ApiError('The ticket service had a problem.', { status: 500 }));
    getTriageStats.mockResolvedValueOnce(STATS);
    const user = userEvent.setup();
    render(<TriagePanel />);
    const alert = await within(panel()).findByRole('alert');
    expect(alert).toHaveTextContent('AI triage figures could not be loaded');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(shareCell('Category', 'Accepted unchanged')).toHaveTextContent('100%'));
    expect(within(panel()).queryByRole('alert')).not.toBeInTheDocument();
  });
});
