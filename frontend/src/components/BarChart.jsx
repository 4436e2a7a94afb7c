import { useId } from 'react';
import { formatNumber } from '../lib/format';

/**
 * Horizontal bars, one per choice, scaled to the largest count. Every bar also
 * says its number, so the chart reads without colour or sight.
 */
export default function BarChart({ title, choices, counts = {}, variant }) {
  const id = useId();
  const values = choices.map((c) => Number(counts[c.value] || 0));
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <figure className="bar-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="bar-chart__title">
        {title}
      </figcaption>
      <ul className="bar-chart__rows">
        {choices.map((choice, index) => {
          const value = values[index];
          const share = total ? Math.round((value / total) * 100) : 0;
          return (
            <li key={choice.value} className="bar-chart__row" aria-label={`${choice.label}: ${value}`}>
              <span className="bar-chart__label" aria-hidden="true">
                {choice.label}
              </span>
              <span className="bar-chart__track" aria-hidden="true">
                <span
                  className={`bar-chart__bar bar--${variant} bar--${choice.value}`}
                  style={{ width: `${(value / max) * 100}%` }}
                />
              </span>
              <span className="bar-chart__value" aria-hidden="true" title={`${share}% of tickets`}>
                {formatNumber(value)}
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
