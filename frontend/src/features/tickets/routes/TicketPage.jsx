import { Link, useLocation, useParams } from 'react-router-dom';
import ErrorState from '../../../components/ErrorState';
import TicketChips from '../components/TicketChips';
import { useTicket } from '../hooks/useTicket';

function parseId(raw) {
  return /^[1-9]\d{0,17}$/.test(raw || '') ? Number(raw) : null;
}

function NoSuchTicket({ id }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">No such ticket</p>
      <p>There is no ticket #{id}. It may have been mistyped in the address.</p>
    </div>
  );
}

/** One ticket at `/tickets/:id`: what it says and where it stands. */
export default function TicketPage() {
  const { id: rawId } = useParams();
  const location = useLocation();
  const id = parseId(rawId);
  const { data: ticket, error, isPending, isError, refetch } = useTicket(id);
  // Back to the queue with the filters it had when the ticket was opened.
  const queueSearch = location.state?.queueSearch || '';

  let content;
  if (id === null || (isError && error?.status === 404)) content = <NoSuchTicket id={rawId} />;
  else if (isError && !ticket)
    content = <ErrorState title="The ticket could not be loaded" error={error} onRetry={refetch} />;
  else if (isPending) {
    content = (
      <p className="ticket-page__loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading ticket…
      </p>
    );
  } else {
    content = (
      <article className="ticket-page__ticket" aria-labelledby="ticket-page-title">
        <header className="ticket-card__header">
          <h2 id="ticket-page-title" className="ticket-page__title">
            {ticket.title}
          </h2>
          <span className="ticket-card__id">#{ticket.id}</span>
        </header>
        <TicketChips ticket={ticket} />
        <p className="ticket-card__description">{ticket.description}</p>
      </article>
    );
  }

  return (
    <main className="ticket-page">
      <nav aria-label="Breadcrumb">
        <Link to={{ pathname: '/', search: queueSearch }} className="link-button">
          ← Back to the queue
        </Link>
      </nav>
      <section className="card">{content}</section>
    </main>
  );
}
