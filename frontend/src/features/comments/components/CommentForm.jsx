import { useId, useState } from 'react';
import { COMMENT_MAX_LENGTH } from '../api';
import { useAddComment } from '../hooks/useComments';

/** Add an internal note to ticket `ticketId`. */
export default function CommentForm({ ticketId, onAdded }) {
  const id = useId();
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const add = useAddComment(ticketId);

  const submit = async (event) => {
    event.preventDefault();
    if (!body.trim()) {
      setError('Write something before adding the comment.');
      return;
    }
    setError('');
    try {
      await add.mutateAsync(body);
      setBody('');
      onAdded?.();
    } catch (failure) {
      setError(failure.fieldErrors?.body || failure.message);
    }
  };

  return (
    <form className="comment-form" onSubmit={submit} aria-labelledby={`${id}-label`} noValidate>
      <label id={`${id}-label`} htmlFor={`${id}-body`} className="comment-form__label">
        Add a comment
      </label>
      <textarea
        id={`${id}-body`}
        rows={4}
        value={body}
        maxLength={COMMENT_MAX_LENGTH}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setBody(event.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="comment-form__actions">
        <span className="comment-form__count">
          {body.length > COMMENT_MAX_LENGTH * 0.9 ? `${body.length} / ${COMMENT_MAX_LENGTH}` : ''}
        </span>
        <button type="submit" className="button button--primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add comment'}
        </button>
      </div>
    </form>
  );
}
