import { useSelectionContext } from './SelectionContext';

/** A card's "select" checkbox; shift-click selects the range from the last one clicked. */
export default function SelectCheckbox({ ticket }) {
  const selection = useSelectionContext();
  if (!selection) return null;
  return (
    <input
      type="checkbox"
      className="queue-select"
      aria-label={`Select ticket #${ticket.id}`}
      checked={selection.isSelected(ticket.id)}
      onChange={(event) => selection.toggle(ticket.id, { range: Boolean(event.nativeEvent?.shiftKey) })}
    />
  );
}
