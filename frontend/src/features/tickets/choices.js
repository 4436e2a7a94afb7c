// Reading the field choices that GET /api/meta/ returns:
// { category: [{ value, label }], priority: [...], status: [...], title_max_length }.
export const CHOICE_FIELDS = ['category', 'priority', 'status'];

/** The label of a value, or the value itself when the choices are not loaded (yet). */
export function labelFor(meta, field, value) {
  const choice = (meta?.[field] || []).find((c) => c.value === value);
  return choice ? choice.label : value;
}

export function isChoice(meta, field, value) {
  return (meta?.[field] || []).some((c) => c.value === value);
}

export function choicesFor(meta, field) {
  return meta?.[field] || [];
}
