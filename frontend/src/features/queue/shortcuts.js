// The queue's keyboard shortcuts, and the guard that keeps them out of fields.
export const SHORTCUTS = Object.freeze([
  { key: 'j', description: 'Next ticket' },
  { key: 'k', description: 'Previous ticket' },
  { key: 'Enter', description: 'Open the focused ticket' },
  { key: 'x', description: 'Select or unselect the focused ticket' },
  { key: '/', description: 'Search' },
  { key: 'Esc', description: 'Leave the search box' },
  { key: 'n', description: 'New ticket' },
  { key: '?', description: 'Show these shortcuts' },
]);

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Whether a key press on `target` is someone typing (so no shortcut applies). */
export function isTypingTarget(target) {
  if (!target || typeof target !== 'object') return false;
  if (TYPING_TAGS.has(target.tagName)) return true;
  if (target.isContentEditable) return true;
  const editable = target.getAttribute?.('contenteditable');
  return editable != null && editable !== 'false';
}

/** The shortcut a keydown event asks for, or null (typing, modifiers, other keys). */
export function shortcutFor(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  const { key } = event;
  if (['j', 'k', 'x', 'n', '/', '?', 'Enter'].includes(key)) return key;
  return null;
}
