import { useEffect, useId, useRef, useState } from 'react';
import { choicesFor } from '../choices';
import { useChoices } from '../hooks/useTicketMeta';
import '../../triage/triage.css';

function FilterSelect({ id, label, value, choices, onChange }) {
  return (
    <div className="field field--compact">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The search box keeps what is typed in its own state, so a keystroke never waits
 * for the address bar: read back from the URL, the box lost a keystroke that came
 * before the URL had caught up with the previous one. The URL's value is taken
 * over whenever the box is not being typed in (Clear, Back, a shared link).
 */
function SearchInput({ id, value, describedBy, onChange, onSubmit }) {
  const [text, setText] = useState(value);
  const typing = useRef(false);
  useEffect(() => {
    if (!typing.current) setText(value);
  }, [value]);
  return (
    <input
      id={id}
      type="search"
      value={text}
      placeholder="Title or description"
      autoComplete="off"
      aria-describedby={describedBy}
      onFocus={() => {
        typing.current = true;
      }}
      onBlur={() => {
        typing.current = false;
      }}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onSubmit?.();
      }}
    />
  );
}

/**
 * Filters for the list. Props in: filters {category, priority, status, search},
 * searchTooShort (the search waits for 3 characters or Enter);
 * events out: onChange(changes), onClear(), onSearchSubmit() (Enter in the search).
 */
export default function Filters({
  filters,
  active = false,
  searchTooShort = false,
  onChange,
  onClear,
  onSearchSubmit,
}) {
  const id = useId();
  const meta = useChoices();
  return (
    <section className="card filters" role="search" aria-label="Filters">
      <div className="field field--compact filters__search">
        <div className="search-label-row">
          <label htmlFor={`${id}-search`}>Search</label>
          <span id={`${id}-search-hint`} className="search-hint" aria-live="polite">
            {searchTooShort ? '3+ characters, or press Enter' : ''}
          </span>
        </div>
        <SearchInput
          id={`${id}-search`}
          value={filters.search}
          describedBy={searchTooShort ? `${id}-search-hint` : undefined}
          onChange={(search) => onChange({ search })}
          onSubmit={onSearchSubmit}
        />
      </div>
      <FilterSelect
        id={`${id}-category`}
        label="Category"
        value={filters.category}
        choices={choicesFor(meta, 'category')}
        onChange={(v) => onChange({ category: v })}
      />
      <FilterSelect
        id={`${id}-priority`}
        label="Priority"
        value={filters.priority}
        choices={choicesFor(meta, 'priority')}
        onChange={(v) => onChange({ priority: v })}
      />
      <FilterSelect
        id={`${id}-status`}
        label="Status"
        value={filters.status}
        choices={choicesFor(meta, 'status')}
        onChange={(v) => onChange({ status: v })}
      />
      <div className="filters__clear">
        <button type="button" className="button button--ghost" onClick={onClear} disabled={!active}>
          Clear
        </button>
      </div>
    </section>
  );
}
