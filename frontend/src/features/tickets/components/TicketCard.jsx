import { memo, useId, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { AgentSelect } from '../../agents/components/AssigneeSelect';
import { choicesFor } from '../choices';
import SelectCheckbox from '../../queue/components/SelectCheckbox';
import TicketChips from './TicketChips';

export const PREVIEW_LENGTH = 180;

function preview(text) {
  if (text.length <= PREVIEW_LENGTH) return text;
  const cut = text.slice(0, PREVIEW_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > PREVIEW_LENGTH * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/**
 * One ticket. Props in: ticket, saving, error, and the choices (`meta`) and `agents` the
 * list reads once for all its cards. Events out: onChange(id, changes) when status or
 * priority is changed, onDismissError(id).
 */
function TicketCard({ ticket, meta, agents, saving = false, error = null, onChange, onDismissError }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const location = useLocation();
  const description = ticket.description || '';
  const long = description.length > PREVIEW_LENGTH;
  const shown = expanded || !long ? description : preview(description);

  const change = (field) => (event) => {
    onChange?.(ticket.id, { [field]: event.target.value });
  };

  return (
    <article
      className={`ticket-card ticket-card--${ticket.priority}${saving ? ' is-saving' : ''}`}
      aria-labelledby={`${id}-title`}
      aria-busy={saving ? 'true' : undefined}
      data-ticket-id={ticket.id}
      tabIndex={-1}
    >
      <header className="ticket-card__header">
        <SelectCheckbox ticket={ticket} />
        <h3 className="ticket-card__title" id={`${id}-title`}>
          <Link to={`/tickets/${ticket.id}`} state={{ queueSearch: location.search }}>
            {ticket.title}
          </Link>
        </h3>
        <span className="ticket-card__id">#{ticket.id}</span>
      </header>

      <TicketChips ticket={ticket} meta={meta} />

      <p className="ticket-card__description" id={`${id}-description`}>
        {shown}
      </p>
      {long ? (
        <button
          type="button"
          className="link-button"
          aria-expanded={expanded}
          aria-controls={`${id}-description`}
          onClick={() => setExpanded((v) => !v)}
        >
          {expanded ? 'Show less' : 'Show more'}
        </button>
      ) : null}

      <div className="ticket-card__controls">
        <label className="inline-field">
          <span>Status</span>
          <select value={ticket.status} onChange={change('status')}>
            {choicesFor(meta, 'status').map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Priority</span>
          <select value={ticket.priority} onChange={change('priority')}>
            {choicesFor(meta, 'priority').map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <AgentSelect
          agents={agents}
          value={ticket.assignee ?? null}
          onChange={(agent) => onChange?.(ticket.id, { assignee: agent })}
        />
        {saving ? (
          <span className="saving-indicator">
            <span className="spinner" aria-hidden="true" /> Saving…
          </span>
        ) : null}
      </div>

      {error ? (
        <div className="ticket-card__error" role="alert">
          <span>{error}</span>
          <button type="button" className="link-button" onClick={() => onDismissError?.(ticket.id)}>
            Dismiss
          </button>
        </div>
      ) : null}
    </article>
  );
}

// A card re-renders only when its own ticket or state changes, not on every
// refresh of the page around it.
export default memo(TicketCard);
