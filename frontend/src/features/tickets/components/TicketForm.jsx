import { useId, useRef, useState } from 'react';
import SimilarTickets from '../../triage/components/SimilarTickets';
import { choicesFor, labelFor } from '../choices';
import { MIN_CLASSIFY_LENGTH } from '../hooks/useClassify';
import { useChoices } from '../hooks/useTicketMeta';

const EMPTY_VALUES = { title: '', description: '', category: '', priority: '' };
// Where Category and Priority came from: null (unset), 'suggested' or 'user'.
const EMPTY_ORIGIN = { category: null, priority: null };
const EMPTY_DRAFT = { values: EMPTY_VALUES, origin: EMPTY_ORIGIN };
const FIELD_ORDER = ['title', 'description', 'category', 'priority'];

/** The suggestion's id, if it was made for this very description (a ticket links to it). */
export function suggestionIdFor(suggestion, description) {
  if (!suggestion?.suggestionId || suggestion.text !== description.trim()) return null;
  return suggestion.suggestionId;
}

// A 400 about the suggestion alone (expired, already used): the ticket is still worth filing.
function isOnlySuggestionError(error) {
  const names = Object.keys(error?.fieldErrors || {});
  return error?.status === 400 && names.length === 1 && names[0] === 'suggestion_id';
}

export function validateTicket(values, titleMaxLength) {
  const errors = {};
  if (!values.title.trim()) errors.title = 'Title is required.';
  else if (titleMaxLength && values.title.trim().length > titleMaxLength) {
    errors.title = `Title must be at most ${titleMaxLength} characters.`;
  }
  if (!values.description.trim()) errors.description = 'Description is required.';
  if (!values.category) errors.category = 'Choose a category.';
  if (!values.priority) errors.priority = 'Choose a priority.';
  return errors;
}

function ClassifyStatus({ status, suggestion, error, meta, stale }) {
  if (status === 'loading') {
    return (
      <span className="classify-status classify-status--loading">
        <span className="spinner" aria-hidden="true" /> Suggesting a category and priority…
      </span>
    );
  }
  if (status === 'error') {
    return (
      <span className="classify-status classify-status--error">
        No suggestion available ({error?.message || 'classification failed'}). Choose the category and priority
        yourself.
      </span>
    );
  }
  if (status === 'done' && suggestion) {
    const pair = `${labelFor(meta, 'category', suggestion.category)} · ${labelFor(meta, 'priority', suggestion.priority)}`;
    if (suggestion.isDefault) {
      return (
        <span className="classify-status classify-status--default">
          AI triage is unavailable, so default values were filled in ({pair}). Please check them.
        </span>
      );
    }
    return (
      <span className="classify-status classify-status--done">
        <span className="ai-mark" aria-hidden="true">
          ✦
        </span>{' '}
        AI suggestion: {pair}
        {stale ? <span className="classify-status__stale"> (for the earlier description)</span> : null}
      </span>
    );
  }
  return (
    <span className="classify-status">
      Category and priority are suggested when you leave the description, or with Suggest.
    </span>
  );
}

function SuggestedBadge({ origin, isDefault }) {
  if (origin !== 'suggested') return null;
  return (
    <span className={`badge badge--suggested${isDefault ? ' badge--default' : ''}`}>
      {isDefault ? 'Default' : 'Suggested'}
    </span>
  );
}

/**
 * The "New ticket" form. Props in:
 * - classification: { status, suggestion, error } from useClassify
 * Events out:
 * - onDescriptionSettled(text, { explicit }): the description lost focus, or
 *   the agent pressed "Suggest" (explicit); never while typing
 * - onReset({ used }): the form was cleared after a successful submit; used
 *   says the ticket was linked to the suggestion shown
 * - onSubmit(fields): resolves on success, rejects with an ApiError otherwise
 */
export default function TicketForm({ classification, onDescriptionSettled, onSubmit, onReset }) {
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const { values, origin } = draft;
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [notice, setNotice] = useState('');
  const fieldRefs = useRef({});
  const id = useId();
  const meta = useChoices();
  const titleMaxLength = meta?.title_max_length;
  const fieldId = (name) => `${id}-${name}`;
  const { status: classifyStatus = 'idle', suggestion = null, error: classifyError = null } = classification || {};

  // Fill Category and Priority from a new suggestion, unless the agent chose them.
  // Done while rendering (not in an effect), so the filled values show at once.
  const [appliedSuggestion, setAppliedSuggestion] = useState(null);
  if (suggestion !== appliedSuggestion) {
    setAppliedSuggestion(suggestion);
    if (suggestion) {
      setDraft((current) => {
        const next = { values: { ...current.values }, origin: { ...current.origin } };
        for (const field of ['category', 'priority']) {
          if (current.origin[field] !== 'user' && suggestion[field]) {
            next.values[field] = suggestion[field];
            next.origin[field] = 'suggested';
          }
        }
        return next;
      });
      setErrors((current) => ({ ...current, category: undefined, priority: undefined }));
    }
  }

  const setField = (name, value) => {
    setDraft((current) => ({ ...current, values: { ...current.values, [name]: value } }));
    if (errors[name]) setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice('');
  };

  const handleDescriptionBlur = (event) => onDescriptionSettled?.(event.target.value);
  const handleSuggest = () => onDescriptionSettled?.(values.description, { explicit: true });
  const settledDescription = values.description.trim();
  const suggestionStale = Boolean(suggestion && suggestion.text && suggestion.text !== settledDescription);
  const canSuggest =
    settledDescription.length >= MIN_CLASSIFY_LENGTH &&
    classifyStatus !== 'loading' &&
    !(suggestion && suggestion.text === settledDescription);

  const handleChoice = (name) => (event) => {
    setField(name, event.target.value);
    setDraft((current) => ({ ...current, origin: { ...current.origin, [name]: 'user' } }));
  };

  const focusFirstError = (fieldErrors) => {
    const first = FIELD_ORDER.find((name) => fieldErrors[name]);
    if (first) fieldRefs.current[first]?.focus();
  };

  const handleSubmit = async (event) => {
    event.preventDefault();
    if (submitting) return;
    const clientErrors = validateTicket(values, titleMaxLength);
    setFormError('');
    setNotice('');
    if (Object.keys(clientErrors).length) {
      setErrors(clientErrors);
      focusFirstError(clientErrors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    const fields = {
      title: values.title.trim(),
      description: values.description.trim(),
      category: values.category,
      priority: values.priority,
    };
    const suggestionId = suggestionIdFor(suggestion, fields.description);
    try {
      let result;
      let linked = Boolean(suggestionId);
      try {
        result = await onSubmit(suggestionId ? { ...fields, suggestion_id: suggestionId } : fields);
      } catch (error) {
        if (!suggestionId || !isOnlySuggestionError(error)) throw error;
        linked = false;
        result = await onSubmit(fields);
      }
      setDraft(EMPTY_DRAFT);
      onReset?.({ used: linked });
      const ticket = result?.ticket;
      setNotice(ticket ? `Ticket #${ticket.id} created.` : 'Ticket created.');
      fieldRefs.current.title?.focus();
    } catch (error) {
      const serverErrors = {};
      const unplaced = [];
      for (const [name, message] of Object.entries(error?.fieldErrors || {})) {
        if (FIELD_ORDER.includes(name)) serverErrors[name] = message;
        else unplaced.push(`${name}: ${message}`);
      }
      setErrors(serverErrors);
      const hasFieldErrors = Object.keys(serverErrors).length > 0;
      const message = [hasFieldErrors && !error?.message ? '' : error?.message, ...unplaced].filter(Boolean).join(' ');
      setFormError(message || 'The ticket could not be created.');
      focusFirstError(serverErrors);
    } finally {
      setSubmitting(false);
    }
  };

  const describedBy = (name, extra) =>
    [errors[name] ? `${fieldId(name)}-error` : null, extra].filter(Boolean).join(' ') || undefined;

  const fieldError = (name) =>
    errors[name] ? (
      <p className="field-error" id={`${fieldId(name)}-error`}>
        {errors[name]}
      </p>
    ) : null;

  const headingId = `${id}-heading`;
  const isDefaultSuggestion = Boolean(suggestion?.isDefault);
  const suggestedClass = (fieldOrigin) => {
    if (fieldOrigin !== 'suggested') return 'field';
    return isDefaultSuggestion ? 'field field--default' : 'field field--suggested';
  };

  // Category and priority: a select that the classify suggestion may fill.
  const renderChoice = (name, label, choices) => (
    <div className={suggestedClass(origin[name])}>
      <label htmlFor={fieldId(name)}>
        {label} <SuggestedBadge origin={origin[name]} isDefault={isDefaultSuggestion} />
      </label>
      <select
        id={fieldId(name)}
        ref={(el) => {
          fieldRefs.current[name] = el;
        }}
        name={name}
        value={values[name]}
        required
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(name)}
        onChange={handleChoice(name)}
      >
        <option value="" disabled>
          Choose…
        </option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {fieldError(name)}
    </div>
  );

  return (
    <form className="card ticket-form" aria-labelledby={headingId} onSubmit={handleSubmit} noValidate>
      <h2 id={headingId} className="section-title">
        New ticket
      </h2>

      <div className="field">
        <label htmlFor={fieldId('title')}>Title</label>
        <input
          id={fieldId('title')}
          ref={(el) => {
            fieldRefs.current.title = el;
          }}
          name="title"
          type="text"
          value={values.title}
          maxLength={titleMaxLength}
          required
          autoComplete="off"
          placeholder="Short summary of the problem"
          aria-invalid={errors.title ? 'true' : undefined}
          aria-describedby={describedBy('title')}
          onChange={(e) => setField('title', e.target.value)}
        />
        {fieldError('title')}
      </div>

      <div className="field">
        <label htmlFor={fieldId('description')}>Description</label>
        <textarea
          id={fieldId('description')}
          ref={(el) => {
            fieldRefs.current.description = el;
          }}
          name="description"
          rows={5}
          value={values.description}
          required
          placeholder="What happened? What did the customer expect?"
          aria-invalid={errors.description ? 'true' : undefined}
          aria-describedby={describedBy('description', `${fieldId('classify')}`)}
          onChange={(e) => setField('description', e.target.value)}
          onBlur={handleDescriptionBlur}
        />
        {fieldError('description')}
        <div className="classify-row">
          <p className="field-hint" id={fieldId('classify')} aria-live="polite">
            <ClassifyStatus
              status={classifyStatus}
              suggestion={suggestion}
              error={classifyError}
              meta={meta}
              stale={suggestionStale}
            />
          </p>
          <button type="button" className="button button--small" onClick={handleSuggest} disabled={!canSuggest}>
            Suggest
          </button>
        </div>
        <SimilarTickets title={values.title} description={values.description} />
      </div>

      <div className="field-row">
        {renderChoice('category', 'Category', choicesFor(meta, 'category'))}
        {renderChoice('priority', 'Priority', choicesFor(meta, 'priority'))}
      </div>

      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? 'Creating…' : 'Create ticket'}
        </button>
        <p className="form-notice" role="status">
          {notice}
        </p>
      </div>
    </form>
  );
}
