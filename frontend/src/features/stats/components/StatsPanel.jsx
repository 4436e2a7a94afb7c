import { useId, useState } from 'react';
import BarChart from '../../../components/BarChart';
import ErrorState from '../../../components/ErrorState';
import { formatNumber } from '../../../lib/format';
import { useShownOnNarrow } from '../../../lib/useMediaQuery';
import { choicesFor } from '../../tickets/choices';
import { useChoices } from '../../tickets/hooks/useTicketMeta';
import DailyChart, { formatHours } from './DailyChart';

function Metric({ label, value, accent }) {
  return (
    <div className={`metric${accent ? ` metric--${accent}` : ''}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function summaryLine(stats, status) {
  if (stats) return `${formatNumber(stats.total_tickets)} total · ${formatNumber(stats.open_tickets)} open`;
  return status === 'error' ? 'unavailable' : 'loading…';
}

/**
 * Ticket statistics. Props in: stats, status, error, updatedAt from useStats;
 * event out: onRetry. On a narrow screen the panel is one line (the totals)
 * that opens on tap; the stylesheet hides the toggle on wider screens, where
 * the panel is always open.
 */
export default function StatsPanel({ stats, status, error, updatedAt, onRetry }) {
  const meta = useChoices();
  const bodyId = useId();
  const [open, setOpen] = useState(false);
  const shown = useShownOnNarrow(open);
  const refreshing = status === 'loading' && stats;
  return (
    <section
      className={`card stats-panel${open ? ' is-open' : ''}${stats ? '' : ' is-empty'}`}
      aria-labelledby="stats-heading"
      aria-busy={status === 'loading' ? 'true' : 'false'}
    >
      <button
        type="button"
        className="stats-panel__toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="stats-panel__toggle-label">Statistics</span>
        <span className="stats-panel__toggle-summary">{summaryLine(stats, status)}</span>
        <span className="stats-panel__chevron" aria-hidden="true" />
      </button>
      <div className="stats-panel__body" id={bodyId}>
        <div className="stats-panel__header">
          <h2 id="stats-heading" className="section-title">
            Statistics
          </h2>
          <span className="stats-panel__updated">
            {refreshing ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
            {updatedAt ? `Updated ${updatedAt.toLocaleTimeString(undefined, { timeStyle: 'short' })}` : ''}
          </span>
        </div>

        {!stats && status === 'loading' ? (
          <div className="stats-panel__loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading statistics…
          </div>
        ) : null}

        {status === 'error' ? (
          <ErrorState
            compact={Boolean(stats)}
            title={stats ? 'Statistics may be out of date' : 'Statistics could not be loaded'}
            error={error}
            onRetry={onRetry}
          />
        ) : null}

        {stats && shown ? (
          <>
            <dl className="metrics">
              <Metric label="Total" value={formatNumber(stats.total_tickets)} />
              <Metric label="Open" value={formatNumber(stats.open_tickets)} accent="open" />
              <Metric label="Avg / day" value={formatNumber(stats.avg_tickets_per_day, 1)} />
              {'median_hours_to_resolve' in stats ? (
                <Metric label="Median to resolve" value={formatHours(stats.median_hours_to_resolve)} />
              ) : null}
            </dl>
            {stats.total_tickets === 0 ? (
              <p className="stats-panel__empty">No tickets yet, so there is nothing to chart.</p>
            ) : (
              <div className="stats-panel__charts">
                <BarChart
                  title="By priority"
                  choices={choicesFor(meta, 'priority')}
                  counts={stats.priority_breakdown}
                  variant="priority"
                />
                <BarChart
                  title="By category"
                  choices={choicesFor(meta, 'category')}
                  counts={stats.category_breakdown}
                  variant="category"
                />
                {stats.daily?.length ? <DailyChart daily={stats.daily} /> : null}
              </div>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}
