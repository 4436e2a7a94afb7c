import { formatCreated, formatFull } from '../../../lib/format';
import { labelFor } from '../choices';

/** A ticket's category, priority and status as labelled chips (`meta`: the choices), and when it was created. */
export default function TicketChips({ ticket, meta }) {
  return (
    <div className="ticket-card__meta">
      <span className={`chip chip--category chip--${ticket.category}`}>
        {labelFor(meta, 'category', ticket.category)}
      </span>
      <span className={`chip chip--priority chip--${ticket.priority}`}>
        {labelFor(meta, 'priority', ticket.priority)}
      </span>
      <span className={`chip chip--status chip--${ticket.status}`}>{labelFor(meta, 'status', ticket.status)}</span>
      <time className="ticket-card__time" dateTime={ticket.created_at} title={formatFull(ticket.created_at)}>
        {formatCreated(ticket.created_at)}
      </time>
    </div>
  );
}
