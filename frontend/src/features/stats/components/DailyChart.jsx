import { useId } from 'react';
import { formatNumber } from '../../../lib/format';
import './DailyChart.css';

const WIDTH = 300;
const HEIGHT = 80;

function shortDate(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * Tickets created and resolved per day (UTC), as paired columns. The SVG has a
 * title and description; the same numbers are in a visually hidden table.
 */
export default function DailyChart({ daily = [] }) {
  const id = useId();
  const days = daily.length || 1;
  const max = Math.max(1, ...daily.flatMap((d) => [d.created, d.resolved]));
  const slot = WIDTH / days;
  const bar = Math.max(1, slot / 2 - 0.5);
  const created = daily.reduce((sum, d) => sum + d.created, 0);
  const resolved = daily.reduce((sum, d) => sum + d.resolved, 0);
  const first = daily[0]?.date;
  const last = daily.at(-1)?.date;
  return (
    <figure className="daily-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="bar-chart__title">
        Last {daily.length} days
      </figcaption>
      <div className="daily-chart__legend" aria-hidden="true">
        <span className="daily-chart__key daily-chart__key--created" /> Created {formatNumber(created)}
        <span className="daily-chart__key daily-chart__key--resolved" /> Resolved {formatNumber(resolved)}
      </div>
      <svg
        className="daily-chart__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-labelledby={`${id}-svg-title`}
        aria-describedby={`${id}-svg-desc`}
      >
        <title id={`${id}-svg-title`}>Tickets created and resolved per day</title>
        <desc id={`${id}-svg-desc`}>
          {first ? `From ${first} to ${last}: ${created} created, ${resolved} resolved.` : 'No days to show.'}
        </desc>
        {daily.map((d, index) => {
          const x = index * slot;
          const hc = (d.created / max) * HEIGHT;
          const hr = (d.resolved / max) * HEIGHT;
          return (
            <g key={d.date}>
              <rect className="daily-chart__bar--created" x={x} y={HEIGHT - hc} width={bar} height={hc} />
              <rect className="daily-chart__bar--resolved" x={x + bar} y={HEIGHT - hr} width={bar} height={hr} />
            </g>
          );
        })}
      </svg>
      <div className="daily-chart__axis" aria-hidden="true">
        <span>{first ? shortDate(first) : ''}</span>
        <span>{last ? shortDate(last) : ''}</span>
      </div>
      <table className="visually-hidden">
        <caption>Tickets created and resolved per day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Created</th>
            <th scope="col">Resolved</th>
          </tr>
        </thead>
        <tbody>
          {daily.map((d) => (
            <tr key={d.date}>
              <th scope="row">{d.date}</th>
              <td>{d.created}</td>
              <td>{d.resolved}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** "3.5 h", "2.1 days", or "–" when nothing was resolved. */
export function formatHours(hours) {
  if (hours == null || Number.isNaN(Number(hours))) return '–';
  if (hours >= 48) return `${formatNumber(hours / 24, 1)} days`;
  return `${formatNumber(hours, 1)} h`;
}
