import BarChart from '../../../components/BarChart';
import ErrorState from '../../../components/ErrorState';
import { formatNumber } from '../../../lib/format';
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

/**
 * Ticket statistics. Props in: stats, status, error, updatedAt from useStats;
 * event out: onRetry.
 */
export default function StatsPanel({ stats, status, error, updatedAt, onRetry }) {
  const meta = useChoices();
  const refreshing = status === 'loading' && stats;
  return (
    <section
      className="card stats-panel"
      aria-labelledby="stats-heading"
      aria-busy={status === 'loading' ? 'true' : 'false'}
    >
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

      {stats ? (
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
    </section>
  );
}
