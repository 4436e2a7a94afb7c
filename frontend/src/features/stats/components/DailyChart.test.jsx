import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders as render } from '../../../test/render';
import { formatHours } from './DailyChart';
import StatsPanel from './StatsPanel';

const STATS = {
  total_tickets: 5,
  open_tickets: 2,
  avg_tickets_per_day: 1.2,
  priority_breakdown: { low: 1, medium: 2, high: 1, critical: 1 },
  category_breakdown: { billing: 1, technical: 2, account: 1, general: 1 },
  median_hours_to_resolve: 3.25,
  daily: [
    { date: '2026-02-15', created: 2, resolved: 0 },
    { date: '2026-02-16', created: 0, resolved: 1 },
    { date: '2026-02-17', created: 3, resolved: 2 },
  ],
};

describe('daily chart and median time to resolve', () => {
  it('draws created and resolved per day with an accessible name, description and table', () => {
    render(<StatsPanel stats={STATS} status="ready" />);
    const region = screen.getByRole('region', { name: 'Statistics' });
    expect(within(region).getByText('Median to resolve').nextElementSibling).toHaveTextContent('3.3 h');

    const chart = within(region).getByRole('img', { name: /Tickets created and resolved per day/ });
    expect(chart).toHaveAccessibleDescription(/From 2026-02-15 to 2026-02-17: 5 created, 3 resolved/);
    expect(chart.querySelectorAll('rect')).toHaveLength(6);

    const table = within(region).getByRole('table', { name: /created and resolved per day/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(['2026-02-1520', '2026-02-1601', '2026-02-1732']);
  });

  it('says so when nothing was resolved', () => {
    expect(formatHours(null)).toBe('–');
    expect(formatHours(72)).toBe('3.0 days');
  });
});
