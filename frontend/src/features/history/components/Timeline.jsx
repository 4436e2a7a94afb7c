import ErrorState from '../../../components/ErrorState';
import { formatFull } from '../../../lib/format';
import { useAgents } from '../../agents/hooks/useAgents';
import CommentBody from '../../comments/components/CommentBody';
import { useChoices } from '../../tickets/hooks/useTicketMeta';
import { actorLabel, describeChanges, isCreation, mergeTimeline } from '../timeline';
import './Timeline.css';

function ChangeItem({ entry, meta, agentName }) {
  const lines = describeChanges(entry, { meta, agentName });
  const created = isCreation(entry);
  return (
    <article
      className="timeline__item timeline__item--change"
      aria-label={`${created ? 'Created' : 'Changed'} by ${actorLabel(entry)}`}
    >
      <header className="timeline__meta">
        <strong className="timeline__who">{actorLabel(entry)}</strong>{' '}
        <span>{created ? 'created the ticket' : 'changed'}</span>{' '}
        <time dateTime={entry.at}>{formatFull(entry.at)}</time>
      </header>
      <ul className="timeline__changes">
        {lines.map((line) => (
          <li key={line.field}>{line.text}</li>
        ))}
      </ul>
      {entry.suggestion ? (
        <p className="timeline__note">
          From an AI suggestion ({entry.suggestion.category}, {entry.suggestion.priority})
        </p>
      ) : null}
    </article>
  );
}

function CommentItem({ comment }) {
  const who = comment.author ? comment.author.name || `Agent #${comment.author.id}` : 'API';
  return (
    <article className="timeline__item timeline__item--comment" aria-label={`Comment by ${who}`}>
      <header className="timeline__meta">
        <strong className="timeline__who">{who}</strong> <span>commented</span>{' '}
        <time dateTime={comment.created_at}>{formatFull(comment.created_at)}</time>
      </header>
      <CommentBody body={comment.body} />
    </article>
  );
}

/**
 * The ticket's comments and changes as one list, newest last. Props in: `activity`, from
 * useActivity in the page, which asks for it as soon as the page opens.
 */
export default function Timeline({ activity }) {
  const { comments, history } = activity;
  const meta = useChoices();
  const { nameOf } = useAgents();

  if (comments.isError || history.isError) {
    return (
      <ErrorState
        title="The activity could not be loaded"
        error={comments.error || history.error}
        onRetry={() => {
          comments.refetch();
          history.refetch();
        }}
      />
    );
  }
  if (comments.isPending || history.isPending) {
    return (
      <p className="timeline__loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading activity…
      </p>
    );
  }
  const items = mergeTimeline(comments.data.results, history.data.results);
  const partial = !comments.data.complete || !history.data.complete;
  return (
    <>
      {partial ? <p className="timeline__note">Only the first entries are shown.</p> : null}
      <ol className="timeline" aria-label="Activity">
        {items.map(({ kind, key, item }) => (
          <li key={key}>
            {kind === 'comment' ? (
              <CommentItem comment={item} />
            ) : (
              <ChangeItem entry={item} meta={meta} agentName={nameOf} />
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
