import { useCallback, useMemo, useRef, useState } from 'react';
import { viewParams } from '../api';
import { useQueueShortcuts } from '../hooks/useQueueShortcuts';
import { useSelection } from '../hooks/useSelection';
import { isSelected } from '../selection';
import BulkBar from './BulkBar';
import QueueToolbar from './QueueToolbar';
import { SelectionContext } from './SelectionContext';
import ShortcutsDialog from './ShortcutsDialog';
import './queue.css';

/**
 * Wraps the queue's list with the tools for working it: sort, export, the
 * selection and its bulk changes, and the keyboard shortcuts.
 * Props in: filters (the list's, with search), ordering, tickets (loaded, in order).
 */
export default function QueueWorkspace({ filters, ordering, onOrderingChange, tickets, children }) {
  const orderedIds = useMemo(() => tickets.map((t) => t.id), [tickets]);
  const viewKey = JSON.stringify([filters, ordering]);
  const { selection, toggle, selectAll, clear } = useSelection(orderedIds, viewKey);
  const [helpOpen, setHelpOpen] = useState(false);
  const listRef = useRef(null);

  const context = useMemo(() => ({ isSelected: (id) => isSelected(selection, id), toggle }), [selection, toggle]);
  const onSelectAll = useCallback((count) => selectAll(viewParams(filters), count), [selectAll, filters]);
  const showHelp = useCallback(() => setHelpOpen(true), []);

  useQueueShortcuts(listRef, { onToggle: toggle, onHelp: showHelp, enabled: !helpOpen });

  return (
    <SelectionContext.Provider value={context}>
      <QueueToolbar
        filters={filters}
        ordering={ordering}
        onOrderingChange={onOrderingChange}
        onShowShortcuts={showHelp}
      />
      <BulkBar selection={selection} filters={filters} onSelectAll={onSelectAll} onClear={clear} />
      <div ref={listRef} className="queue-list">
        {children}
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </SelectionContext.Provider>
  );
}
