import { useCallback, useMemo, useState } from 'react';
import { EMPTY_SELECTION, selectAllMatching, toggleSelection } from '../selection';

/**
 * The tickets picked for a bulk change, over the loaded tickets `orderedIds`
 * (in list order, for shift-click ranges). A new view (`viewKey`: filters and
 * ordering) starts with nothing selected.
 */
export function useSelection(orderedIds, viewKey) {
  const [store, setStore] = useState({ viewKey, selection: EMPTY_SELECTION });
  const selection = store.viewKey === viewKey ? store.selection : EMPTY_SELECTION;

  const update = useCallback(
    (change) =>
      setStore((current) => ({
        viewKey,
        selection: change(current.viewKey === viewKey ? current.selection : EMPTY_SELECTION),
      })),
    [viewKey],
  );

  const toggle = useCallback(
    (id, { range = false } = {}) => update((current) => toggleSelection(current, id, { range, orderedIds })),
    [update, orderedIds],
  );
  const selectAll = useCallback((filter, count) => update(() => selectAllMatching(filter, count)), [update]);
  const clear = useCallback(() => update(() => EMPTY_SELECTION), [update]);

  return useMemo(() => ({ selection, toggle, selectAll, clear }), [selection, toggle, selectAll, clear]);
}
