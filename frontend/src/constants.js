export const CATEGORIES = [
  { value: 'billing', label: 'Billing' },
  { value: 'technical', label: 'Technical' },
  { value: 'account', label: 'Account' },
  { value: 'general', label: 'General' },
];

export const PRIORITIES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'critical', label: 'Critical' },
];

export const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'closed', label: 'Closed' },
];

const ALL_CHOICES = { category: CATEGORIES, priority: PRIORITIES, status: STATUSES };

export function labelFor(field, value) {
  const choice = (ALL_CHOICES[field] || []).find((c) => c.value === value);
  return choice ? choice.label : value;
}

export function isChoice(field, value) {
  return (ALL_CHOICES[field] || []).some((c) => c.value === value);
}

export const TITLE_MAX_LENGTH = 200;
