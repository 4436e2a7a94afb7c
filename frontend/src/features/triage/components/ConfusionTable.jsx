import { formatNumber } from '../../../lib/format';

// Cells are tinted up to this share of their colour, so their numbers stay readable.
const MAX_TINT = 0.45;

/**
 * One field's confusion matrix as a table: a row per suggested label, a column
 * per current label, the count in every cell. The tint (from CSS variables)
 * repeats the count for the eye: green on the diagonal (the suggestion still
 * agrees), red elsewhere; the diagonal is also outlined and bold.
 * Props: caption, choices [{value, label}], matrix {suggested: {current: n}} or null.
 */
export default function ConfusionTable({ caption, choices, matrix }) {
  const counts = choices.map((row) => choices.map((col) => matrix?.[row.value]?.[col.value] ?? null));
  const max = Math.max(0, ...counts.flat().filter((n) => n != null));
  return (
    <table className="confusion">
      <caption className="confusion__caption">{caption}</caption>
      <thead>
        <tr>
          <td className="confusion__corner">
            <span aria-hidden="true">Suggested ↓ Now →</span>
          </td>
          {choices.map((col) => (
            <th key={col.value} scope="col" className="confusion__label" title={col.label}>
              {col.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {choices.map((row, i) => (
          <tr key={row.value}>
            <th scope="row" className="confusion__label" title={row.label}>
              {row.label}
            </th>
            {choices.map((col, j) => {
              const n = counts[i][j];
              const agrees = i === j;
              const tint = max > 0 && n ? (n / max) * MAX_TINT : 0;
              return (
                <td
                  key={col.value}
                  className={`confusion__cell${agrees ? ' confusion__cell--agree' : ' confusion__cell--miss'}`}
                  style={{ '--tint': `${Math.round(tint * 100)}%` }}
                  title={n == null ? undefined : `Suggested ${row.label}, now ${col.label}: ${n}`}
                >
                  {n == null ? '–' : formatNumber(n)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
