import { useEffect, useId, useRef, useState } from 'react';

/**
 * A text shown as such, with an Edit button that turns it into a field.
 * Props in: value, label, multiline, maxLength, render (how the value shows);
 * event out: onSave(newValue) resolving to true when saved (false or an
 * ApiError keep the field open).
 */
export default function EditableText({
  value,
  label,
  multiline = false,
  maxLength,
  disabled = false,
  onSave,
  children,
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const fieldRef = useRef(null);
  const editRef = useRef(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) fieldRef.current?.focus();
    else if (wasEditing.current) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const start = () => {
    setDraft(value);
    setError('');
    setEditing(true);
  };

  const submit = async (event) => {
    event.preventDefault();
    const next = multiline ? draft : draft.trim();
    if (!next.trim()) {
      setError(`${label} is required.`);
      return;
    }
    if (next === value) {
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      const saved = await onSave(next);
      if (saved !== false) setEditing(false);
    } catch (failure) {
      setError(failure?.fieldErrors?.[label.toLowerCase()] || failure?.message || 'The change could not be saved.');
    } finally {
      setSaving(false);
    }
  };

  if (!editing) {
    return (
      <div className="editable">
        <div className="editable__value">{children}</div>
        <button
          ref={editRef}
          type="button"
          className="link-button editable__edit"
          onClick={start}
          disabled={disabled}
          aria-label={`Edit ${label.toLowerCase()}`}
        >
          Edit
        </button>
      </div>
    );
  }

  const Field = multiline ? 'textarea' : 'input';
  return (
    <form className="editable editable--editing" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-field`} className="visually-hidden">
        {label}
      </label>
      <Field
        id={`${id}-field`}
        ref={fieldRef}
        className="editable__field"
        value={draft}
        maxLength={maxLength}
        rows={multiline ? 8 : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setEditing(false);
        }}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="editable__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : `Save ${label.toLowerCase()}`}
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
