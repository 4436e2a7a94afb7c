import { useId, useState } from 'react';
import { EXPORT_FORMATS, exportUrl } from '../api';
import { ORDERINGS } from '../ordering';

/** Sort order, export of the current view, and the shortcuts' help. */
export default function QueueToolbar({ filters, ordering, onOrderingChange, onShowShortcuts }) {
  const id = useId();
  const [format, setFormat] = useState('csv');
  const href = exportUrl({ filters, ordering, format });
  return (
    <div className="queue-toolbar" role="toolbar" aria-label="Queue tools">
      <div className="field field--compact">
        <label htmlFor={`${id}-ordering`}>Sort</label>
        <select id={`${id}-ordering`} value={ordering} onChange={(e) => onOrderingChange(e.target.value)}>
          {ORDERINGS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="queue-toolbar__export">
        <div className="field field--compact">
          <label htmlFor={`${id}-format`}>Export as</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <a className="button button--ghost" href={href} download>
          Export
        </a>
      </div>
      <button
        type="button"
        className="button button--ghost queue-toolbar__shortcuts"
        onClick={onShowShortcuts}
        aria-keyshortcuts="?"
      >
        Shortcuts
      </button>
    </div>
  );
}
