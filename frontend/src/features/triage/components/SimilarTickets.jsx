import { useId } from 'react';
import { Link } from 'react-router-dom';
import { labelFor } from '../../tickets/choices';
import { useChoices } from '../../tickets/hooks/useTicketMeta';
import { similarText, useSimilarTickets } from '../hooks/useSimilarTickets';
import '../triage.css';

/**
 * Past tickets like the one being written, as links, so a duplicate is
 * spotted before it is filed. Props in: title, description (the draft).
 * Nothing shows until the draft says enough; a failure stays in this box.
 */
export default function SimilarTickets({ title = '', description = '' }) {
  const id = useId();
  const meta = useChoices();
  const text = [title.trim(), description.trim()].filter(Boolean).join('. ');
  // The description alone decides when to look: the title adds words to compare.
  const { status, tickets, error, retry } = useSimilarTickets(similarText(description) ? text : '');
  if (status === 'idle') return null;
  const headingId = `${id}-heading`;

  return (
    <section className="similar-tickets" aria-labelledby={headingId} aria-busy={status === 'loading'}>
      <h3 id={headingId} className="similar-tickets__title">
        Similar tickets
        {status === 'loading' ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
      </h3>
      {status === 'error' ? (
        <p className="similar-tickets__message similar-tickets__message--error">
          Similar tickets could not be loaded{error?.message ? ` (${error.message})` : ''}.{' '}
          <button type="button" className="link-button" onClick={() => retry()}>
            Try again
          </button>
        </p>
      ) : null}
      {status === 'ready' && tickets.length === 0 ? (
        <p className="similar-tickets__message">No similar tickets so far.</p>
      ) : null}
      {status === 'loading' && tickets.length === 0 ? (
        <p className="similar-tickets__message">Looking for similar tickets…</p>
      ) : null}
      {tickets.length > 0 && status !== 'error' ? (
        <ul className="similar-tickets__list">
          {tickets.map((ticket) => (
            <li key={ticket.id} className="similar-tickets__item">
              <Link to={`/tickets/${ticket.id}`} className="similar-tickets__link">
                <span className="similar-tickets__id">#{ticket.id}</span> {ticket.title}
              </Link>
              <span className="similar-tickets__labels">
                <span className={`chip chip--category chip--${ticket.category}`}>
                  {labelFor(meta, 'category', ticket.category)}
                </span>
                <span className={`chip chip--priority chip--${ticket.priority}`}>
                  {labelFor(meta, 'priority', ticket.priority)}
                </span>
                <span className={`chip chip--status chip--${ticket.status}`}>
                  {labelFor(meta, 'status', ticket.status)}
                </span>
                <span className="similar-tickets__score" title="Share of the draft's distinctive words it holds">
                  {Math.round(ticket.score * 100)}% match
                </span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
