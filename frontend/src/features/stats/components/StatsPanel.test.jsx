import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/apiClient';
import { renderWithProviders as render } from '../../../test/render';
import StatsPanel from './StatsPanel';

const STATS = {
  total_tickets: 124,
  open_tickets: 67,
  avg_tickets_per_day: 8.3,
  priority_breakdown: { low: 30, medium: 52, high: 31, critical: 11 },
  category_breakdown: { billing: 28, technical: 55, account: 22, general: 19 },
};

describe('StatsPanel', () => {
  it('shows the totals and a bar for every priority and category', () => {
    render(<StatsPanel stats={STATS} status="ready" updatedAt={new Date()} />);
    const region = screen.getByRole('region', { name: 'Statistics' });

    const metric = (label) => within(region).getByText(label).nextElementSibling;
    expect(metric('Total')).toHaveTextContent('124');
    expect(metric('Open')).toHaveTextContent('67');
    expect(metric('Avg / day')).toHaveTextContent('8.3');

    const priority = within(region).getByRole('figure', { name: 'By priority' });
    expect(
      within(priority)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('aria-label')),
    ).toEqual(['Low: 30', 'Medium: 52', 'High: 31', 'Critical: 11']);
    const category = within(region).getByRole('figure', { name: 'By category' });
    expect(within(category).getByRole('listitem', { name: 'Technical: 55' })).toBeInTheDocument();
  });

  it('scales bars to the largest count', () => {
    render(<StatsPanel stats={STATS} status="ready" />);
    const category = screen.getByRole('figure', { name: 'By category' });
    const bar = (name) => within(category).getByRole('listitem', { name }).querySelector('.bar-chart__bar');
    expect(bar('Technical: 55').style.width).toBe('100%');
    expect(bar('Billing: 28').style.width).toBe(`${(28 / 55) * 100}%`);
  });

  it('draws zero counts as empty bars', () => {
    const stats = { ...STATS, priority_breakdown: { low: 0, medium: 4, high: 0, critical: 0 } };
    render(<StatsPanel stats={stats} status="ready" />);
    expect(screen.getByRole('listitem', { name: 'Critical: 0' })).toBeInTheDocument();
  });

  it('shows a loading state before the first numbers arrive', () => {
    render(<StatsPanel stats={null} status="loading" />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading statistics');
  });

  it('says when there are no tickets yet', () => {
    const empty = {
      total_tickets: 0,
      open_tickets: 0,
      avg_tickets_per_day: 0,
      priority_breakdown: { low: 0, medium: 0, high: 0, critical: 0 },
      category_breakdown: { billing: 0, technical: 0, account: 0, general: 0 },
    };
    render(<StatsPanel stats={empty} status="ready" />);
    expect(screen.getByText(/No tickets yet/)).toBeInTheDocument();
  });

  it('offers a retry when the statistics cannot be loaded', async () => {
    const onRetry = vi.fn();
    render(
      <StatsPanel
        stats={null}
        status="error"
        error={new ApiError('Cannot reach the ticket service.')}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('The ticket service is unreachable');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('keeps the last numbers visible when a refresh fails', () => {
    render(
      <StatsPanel
        stats={STATS}
        status="error"
        error={new ApiError('The ticket service had a problem.', { status: 500 })}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Statistics may be out of date');
    expect(screen.getByText('124')).toBeInTheDocument();
  });

  it('sums itself up in one line that opens and closes the full panel', async () => {
    const user = userEvent.setup();
    render(<StatsPanel stats={STATS} status="ready" updatedAt={new Date()} />);
    const toggle = screen.getByRole('button', { name: /Statistics/ });
    expect(toggle).toHaveTextContent('124 total · 67 open');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById(toggle.getAttribute('aria-controls'))).toContainElement(
      screen.getByRole('figure', { name: 'By priority' }),
    );
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });
});
