import { useId } from 'react';
import { choicesFor } from '../choices';
import { useChoices } from '../hooks/useTicketMeta';

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
 * Filters for the list. Props in: filters {category, priority, status, search};
 * events out: onChange(changes), onClear().
 */
export default function Filters({ filters, active = false, onChange, onClear }) {
  const id = useId();
  const meta = useChoices();
  return (
    <section className="card filters" role="search" aria-label="Filters">
      <div className="field field--compact filters__search">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          value={filters.search}
          placeholder="Title or description"
          autoComplete="off"
          onChange={(e) => onChange({ search: e.target.value })}
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
