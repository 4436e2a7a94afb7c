import { useId, useState } from 'react';
import ErrorState from '../../../components/ErrorState';
import { formatNumber } from '../../../lib/format';
import { useShownOnNarrow } from '../../../lib/useMediaQuery';
import { choicesFor } from '../../tickets/choices';
import { useChoices } from '../../tickets/hooks/useTicketMeta';
import { useTriageStats } from '../hooks/useTriageStats';
import ConfusionTable from './ConfusionTable';
import '../triage.css';

export const PERIODS = [7, 30, 90, 365];
const FIELDS = [
  ['category', 'Category'],
  ['priority', 'Priority'],
  ['both', 'Both'],
];
const REASONS = {
  no_key: 'no API key',
  budget: 'daily budget reached',
  busy: 'too many at once',
  timeout: 'LLM timed out',
  error: 'LLM error',
};

export function formatShare(share) {
  return share == null ? '–' : `${Math.round(share * 100)}%`;
}

// Built when first needed, not when the queue's code loads: a formatter for another time zone
// makes the browser set up that zone's data, which a phone (where this panel starts closed)
// would pay for before the queue's first render.
let dayFormat;

function formatDay(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  dayFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  return dayFormat.format(date);
}

function formatMs(ms) {
  if (ms == null) return '–';
  return ms >= 1000 ? `${formatNumber(ms / 1000, 1)} s` : `${formatNumber(ms)} ms`;
}

/** How many tickets a share stands for: the linked ones are the confusion matrix's total. */
function shareCounts(stats) {
  if (!stats) return null;
  const sum = (matrix) =>
    Object.values(matrix || {}).reduce((all, row) => all + Object.values(row).reduce((a, n) => a + n, 0), 0);
  const trace = (matrix) => Object.entries(matrix || {}).reduce((all, [label, row]) => all + (row[label] ?? 0), 0);
  const created = stats.tickets_created;
  const linked = sum(stats.confusion?.category);
  const ofCreated = (share) => (share == null ? null : Math.round(share * created));
  return {
    accepted: {
      category: ofCreated(stats.accepted_unchanged.category),
      priority: ofCreated(stats.accepted_unchanged.priority),
      both: ofCreated(stats.accepted_unchanged.both),
      of: created,
    },
    agreement: {
      category: linked ? trace(stats.confusion.category) : null,
      priority: linked ? trace(stats.confusion.priority) : null,
      both: stats.agreement_now.both == null ? null : Math.round(stats.agreement_now.both * linked),
      of: linked,
    },
  };
}

function ShareCell({ share, count, of }) {
  const width = share == null ? 0 : Math.round(share * 100);
  return (
    <td className="share-cell">
      <span className="share-cell__value">{formatShare(share)}</span>
      <span className="share-cell__count">{count == null ? '' : `${count} of ${of}`}</span>
      <span className="share-cell__track" aria-hidden="true">
        <span className="share-cell__bar" style={{ width: `${width}%` }} />
      </span>
    </td>
  );
}

function Metric({ label, value, detail }) {
  return (
    <div className="triage-metric">
      <dt>{label}</dt>
      <dd>
        <span className="triage-metric__value">{value}</span>
        <span className="triage-metric__detail">{detail}</span>
      </dd>
    </div>
  );
}

function fallbackDetail(stats) {
  const reasons = Object.entries(stats?.fallback_reasons || {});
  if (!stats) return '';
  if (!reasons.length) return stats.suggestions ? 'none' : '';
  return reasons.map(([reason, n]) => `${REASONS[reason] || reason.replace(/_/g, ' ')} ${n}`).join(' · ');
}

/**
 * The "AI triage" panel: how the suggestions of the chosen period fared.
 * The layout is the same whatever the state (dashes until figures arrive),
 * so nothing moves when they do.
 */
export default function TriagePanel() {
  const id = useId();
  const meta = useChoices();
  const [days, setDays] = useState(30);
  // On a narrow screen the panel is one line that opens on tap, like the
  // statistics, so the queue stays on the first screen.
  const [open, setOpen] = useState(false);
  const shown = useShownOnNarrow(open);
  const bodyId = `${id}-body`;
  const { stats, isPlaceholder, status, error, refresh } = useTriageStats(days, { enabled: shown });
  const counts = shareCounts(stats);
  const headingId = `${id}-heading`;
  const tokens = stats?.tokens_per_suggestion;
  const latency = stats?.latency_ms;
  const busy = shown && status === 'loading';

  let message = null;
  if (status === 'error') {
    message = (
      <ErrorState
        compact
        title={stats ? 'AI triage figures may be out of date' : 'AI triage figures could not be loaded'}
        error={error}
        onRetry={refresh}
      />
    );
  } else if (!stats && busy) {
    message = (
      <p className="triage-panel__message" role="status">
        <span className="spinner spinner--small" aria-hidden="true" /> Loading AI triage figures…
      </p>
    );
  } else if (stats && stats.suggestions === 0 && !isPlaceholder) {
    message = (
      <p className="triage-panel__message" role="status">
        No suggestions in the last {days} days yet.
      </p>
    );
  } else if (stats) {
    message = <p className="triage-panel__message">Suggestions since {formatDay(stats.since)}</p>;
  }

  return (
    <section
      className={`card triage-panel${isPlaceholder ? ' is-stale' : ''}${open ? ' is-open' : ''}`}
      aria-labelledby={headingId}
      aria-busy={busy ? 'true' : 'false'}
    >
      <button
        type="button"
        className="triage-panel__toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="triage-panel__toggle-label">AI triage</span>
        <span className="triage-panel__chevron" aria-hidden="true" />
      </button>
      <div className="triage-panel__body" id={bodyId}>
        <div className="triage-panel__header">
          <h2 id={headingId} className="section-title">
            AI triage
          </h2>
          <div className="triage-panel__period">
            {busy && stats ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
            <label htmlFor={`${id}-days`} className="visually-hidden">
              Period
            </label>
            <select id={`${id}-days`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {PERIODS.map((n) => (
                <option key={n} value={n}>
                  Last {n} days
                </option>
              ))}
            </select>
          </div>
        </div>

        {shown ? (
          <>
            <div className="triage-panel__message-slot">{message}</div>

            <dl className="triage-metrics">
              <Metric
                label="Suggestions"
                value={formatNumber(stats?.suggestions)}
                detail={stats ? `${formatNumber(stats.tickets_created)} became tickets` : ''}
              />
              <Metric label="Fallback rate" value={formatShare(stats?.fallback_rate)} detail={fallbackDetail(stats)} />
              <Metric
                label="Latency"
                value={formatMs(latency?.p50)}
                detail={latency?.p95 != null ? `p50 · p95 ${formatMs(latency.p95)}` : 'p50 · p95'}
              />
              <Metric
                label="Tokens / suggestion"
                value={formatNumber(tokens?.total)}
                detail={
                  tokens?.total != null
                    ? `${formatNumber(tokens.prompt)} in · ${formatNumber(tokens.completion)} out`
                    : ''
                }
              />
            </dl>

            <table className="share-table">
              <caption className="triage-panel__subtitle">Tickets created from a suggestion</caption>
              <thead>
                <tr>
                  <td />
                  <th scope="col">Accepted unchanged</th>
                  <th scope="col">Agrees now</th>
                </tr>
              </thead>
              <tbody>
                {FIELDS.map(([field, label]) => (
                  <tr key={field}>
                    <th scope="row">{label}</th>
                    <ShareCell
                      share={stats?.accepted_unchanged?.[field]}
                      count={counts?.accepted[field]}
                      of={counts?.accepted.of}
                    />
                    <ShareCell
                      share={stats?.agreement_now?.[field]}
                      count={counts?.agreement[field]}
                      of={counts?.agreement.of}
                    />
                  </tr>
                ))}
              </tbody>
            </table>

            <div className="triage-panel__confusion">
              <ConfusionTable
                caption="Category: suggested × now"
                choices={choicesFor(meta, 'category')}
                matrix={stats?.confusion?.category}
              />
              <ConfusionTable
                caption="Priority: suggested × now"
                choices={choicesFor(meta, 'priority')}
                matrix={stats?.confusion?.priority}
              />
              <p className="triage-panel__legend">
                <span className="legend-swatch legend-swatch--agree" aria-hidden="true" /> still agrees (diagonal,
                outlined)
                <span className="legend-swatch legend-swatch--miss" aria-hidden="true" /> changed since; darker = more
                tickets
              </p>
            </div>
          </>
        ) : null}
      </div>
    </section>
  );
}
