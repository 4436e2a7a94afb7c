import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import ErrorState from '../../../components/ErrorState';
import { formatFull } from '../../../lib/format';
import AssigneeSelect from '../../agents/components/AssigneeSelect';
import CommentForm from '../../comments/components/CommentForm';
import Timeline from '../../history/components/Timeline';
import { useActivity } from '../../history/hooks/useActivity';
import { choicesFor } from '../choices';
import ConflictNotice from '../components/ConflictNotice';
import EditableText from '../components/EditableText';
import { useEditTicket } from '../hooks/useEditTicket';
import { useTicket } from '../hooks/useTicket';
import { useChoices } from '../hooks/useTicketMeta';
import { parseTicketId } from '../ticketId';
import './TicketPage.css';

function NoSuchTicket({ id }) {
  return (
    <div className="empty-state">
      <h2 className="empty-state__title">No such ticket</h2>
      <p>There is no ticket #{id}. It may have been deleted or mistyped in the address.</p>
    </div>
  );
}

function ChoiceField({ field, label, value, disabled, onChange }) {
  const meta = useChoices();
  return (
    <label className="inline-field">
      <span>{label}</span>
      <select value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {choicesFor(meta, field).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function TicketDetail({ ticket, editable }) {
  const meta = useChoices();
  const { save, saving, conflict, reapply, discard } = useEditTicket(ticket.id);
  const [pending, setPending] = useState({});
  const [error, setError] = useState('');

  const saveFields = async (changes) => {
    setError('');
    setPending((p) => ({ ...p, ...changes }));
    try {
      const result = await save(changes);
      return result.ok;
    } finally {
      setPending((p) => Object.fromEntries(Object.entries(p).filter(([key]) => !(key in changes))));
    }
  };
  const saveSelect = (field) => (value) =>
    saveFields({ [field]: value }).catch((failure) => setError(`Couldn't save the change: ${failure.message}`));
  const shown = (field) => (field in pending ? pending[field] : ticket[field]);

  return (
    <article className="ticket-page__ticket" aria-label={ticket.title}>
      <header className="ticket-page__header">
        <EditableText
          label="Title"
          value={ticket.title}
          maxLength={meta?.title_max_length}
          disabled={!editable}
          onSave={(title) => saveFields({ title })}
        >
          <h2 id="ticket-page-title" className="ticket-page__title">
            {ticket.title}
          </h2>
        </EditableText>
        <span className="ticket-card__id">#{ticket.id}</span>
      </header>

      {conflict ? <ConflictNotice conflict={conflict} busy={saving} onReapply={reapply} onDiscard={discard} /> : null}

      <div className="ticket-page__fields">
        <ChoiceField
          field="category"
          label="Category"
          value={shown('category')}
          disabled={!editable}
          onChange={saveSelect('category')}
        />
        <ChoiceField
          field="priority"
          label="Priority"
          value={shown('priority')}
          disabled={!editable}
          onChange={saveSelect('priority')}
        />
        <ChoiceField
          field="status"
          label="Status"
          value={shown('status')}
          disabled={!editable}
          onChange={saveSelect('status')}
        />
        <AssigneeSelect value={shown('assignee') ?? null} disabled={!editable} onChange={saveSelect('assignee')} />
        <span className="saving-indicator" aria-live="polite">
          {saving ? 'Saving…' : ''}
        </span>
      </div>
      {error ? (
        <p className="ticket-card__error" role="alert">
          {error}
        </p>
      ) : null}

      <EditableText
        label="Description"
        multiline
        value={ticket.description}
        disabled={!editable}
        onSave={(description) => saveFields({ description })}
      >
        <p className="ticket-page__description">{ticket.description}</p>
      </EditableText>

      <p className="ticket-page__dates">
        Created <time dateTime={ticket.created_at}>{formatFull(ticket.created_at)}</time>
        {ticket.updated_at ? (
          <>
            {' · '}Updated <time dateTime={ticket.updated_at}>{formatFull(ticket.updated_at)}</time>
          </>
        ) : null}
      </p>
    </article>
  );
}

/** One ticket at `/tickets/:id`: what it says, its fields, and its activity. */
export default function TicketPage() {
  const { id: rawId } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const id = parseTicketId(rawId);
  const { data: ticket, error, isPending, isError, isPlaceholderData, refetch } = useTicket(id);
  // The activity is asked for with the ticket, not after it; the comment form waits for it,
  // so the timeline arriving does not push the form down the page.
  const activity = useActivity(id);
  // Back to the queue with the filters it had when the ticket was opened.
  const queueSearch = location.state?.queueSearch;
  const notFound = id === null || (isError && error?.status === 404);

  let content;
  if (notFound) content = <NoSuchTicket id={rawId} />;
  else if (isError && !ticket)
    content = <ErrorState title="The ticket could not be loaded" error={error} onRetry={refetch} />;
  else if (isPending) {
    content = (
      <p className="ticket-page__loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading ticket…
      </p>
    );
  } else content = <TicketDetail ticket={ticket} editable={!isPlaceholderData} />;

  const back = (event) => {
    // Opened from the queue: go back in history, so the queue comes back where it was.
    if (queueSearch != null && location.key !== 'default') {
      event.preventDefault();
      navigate(-1);
    }
  };

  return (
    <main className="ticket-page">
      <nav aria-label="Breadcrumb">
        <Link to={{ pathname: '/', search: queueSearch || '' }} className="link-button" onClick={back}>
          ← Back to the queue
        </Link>
      </nav>
      <section className="card">{content}</section>
      {!notFound && id !== null && ticket ? (
        <section className="card ticket-page__activity" aria-labelledby="activity-heading">
          <h2 id="activity-heading" className="section-title">
            Activity
          </h2>
          <Timeline activity={activity} />
          {activity.settled ? <CommentForm ticketId={id} /> : null}
        </section>
      ) : null}
    </main>
  );
}
