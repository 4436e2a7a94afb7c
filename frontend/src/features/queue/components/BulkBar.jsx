import { useId, useState } from 'react';
import { formatNumber } from '../../../lib/format';
import { choicesFor } from '../../tickets/choices';
import { useChoices } from '../../tickets/hooks/useTicketMeta';
import { useAgents, useBulkUpdate, useMatchingCount } from '../hooks/useQueueQueries';
import { selectionSize, selectionTarget } from '../selection';

const FIELDS = [
  { value: 'status', label: 'Status' },
  { value: 'priority', label: 'Priority' },
  { value: 'category', label: 'Category' },
  { value: 'assignee', label: 'Assignee' },
];
const UNASSIGNED = 'unassigned';

function agentLabel(agent) {
  return agent.name || agent.username;
}

/**
 * Shown while tickets are selected: their count, "Select all N matching", and a
 * change (field and value) applied to all of them after a confirmation.
 */
export default function BulkBar({ selection, filters, onSelectAll, onClear }) {
  const id = useId();
  const meta = useChoices();
  const size = selectionSize(selection);
  const [field, setField] = useState('status');
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState('');
  const matching = useMatchingCount(filters, { enabled: size > 0 });
  const agents = useAgents({ enabled: size > 0 && field === 'assignee' });
  const bulk = useBulkUpdate();

  if (size === 0) {
    return done ? (
      <p className="queue-bulk__done" role="status">
        {done}
      </p>
    ) : null;
  }

  const options =
    field === 'assignee'
      ? [
          { value: UNASSIGNED, label: 'Unassigned' },
          ...(agents.data || []).map((a) => ({ value: String(a.id), label: agentLabel(a) })),
        ]
      : choicesFor(meta, field);
  const fieldLabel = FIELDS.find((f) => f.value === field).label.toLowerCase();
  const valueLabel = options.find((o) => o.value === value)?.label || '';
  const noun = `${formatNumber(size)} ticket${size === 1 ? '' : 's'}`;
  const total = matching.data;

  function setValueFor(nextField) {
    setField(nextField);
    setValue('');
    setConfirming(false);
    bulk.reset();
  }

  async function apply() {
    let sent = value;
    if (field === 'assignee') sent = value === UNASSIGNED ? null : Number(value);
    try {
      const result = await bulk.mutateAsync({ target: selectionTarget(selection), set: { [field]: sent } });
      const n = result?.updated ?? size;
      setDone(`Updated ${formatNumber(n)} ticket${n === 1 ? '' : 's'}: ${fieldLabel} set to ${valueLabel}.`);
      setConfirming(false);
      setValue('');
      onClear();
    } catch {
      setConfirming(false);
    }
  }

  return (
    <section className="card queue-bulk" aria-label="Bulk changes">
      <div className="queue-bulk__summary">
        <p className="queue-bulk__count" aria-live="polite">
          {selection.mode === 'all' ? `All ${noun} matching this view selected` : `${noun} selected`}
        </p>
        {selection.mode !== 'all' && total != null && total > size ? (
          <button type="button" className="link-button" onClick={() => onSelectAll(total)}>
            {`Select all ${formatNumber(total)} matching`}
          </button>
        ) : null}
        <button type="button" className="link-button" onClick={onClear}>
          Clear selection
        </button>
      </div>

      <div className="queue-bulk__change">
        <div className="field field--compact">
          <label htmlFor={`${id}-field`}>Change</label>
          <select id={`${id}-field`} value={field} onChange={(e) => setValueFor(e.target.value)}>
            {FIELDS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--compact">
          <label htmlFor={`${id}-value`}>To</label>
          <select
            id={`${id}-value`}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setConfirming(false);
              bulk.reset();
            }}
          >
            <option value="">Choose…</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        {!confirming ? (
          <button
            type="button"
            className="button"
            disabled={!value}
            onClick={() => {
              setDone('');
              bulk.reset();
              setConfirming(true);
            }}
          >
            Apply…
          </button>
        ) : null}
      </div>

      {confirming ? (
        <div className="queue-bulk__confirm" role="group" aria-label="Confirm the change">
          <p>{`Set ${fieldLabel} to ${valueLabel} on ${noun}?`}</p>
          <button type="button" className="button" onClick={apply} disabled={bulk.isPending}>
            {bulk.isPending ? 'Applying…' : `Update ${noun}`}
          </button>
          <button type="button" className="button button--ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}

      {bulk.isError ? (
        <p className="queue-bulk__error" role="alert">
          {Object.values(bulk.error?.fieldErrors || {}).join(' ') || bulk.error?.message}
        </p>
      ) : null}
    </section>
  );
}
