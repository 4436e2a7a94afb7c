// Which tickets the agent has picked for a bulk change. Pure functions over
// { mode, ids, anchor, filter, count }:
// - mode 'ids': the tickets in `ids` (a Set of ticket ids);
// - mode 'all': every ticket matching `filter` (`count` of them), sent to the
//   API as the filter rather than as ids.

export const EMPTY_SELECTION = Object.freeze({ mode: 'ids', ids: new Set(), anchor: null, filter: null, count: 0 });

/**
 * Toggle ticket `id`. With `range` (shift-click), every ticket between the last
 * one clicked (the anchor) and `id` in `orderedIds` takes the new state of `id`.
 */
export function toggleSelection(selection, id, { range = false, orderedIds = [] } = {}) {
  const ids = new Set(selection.mode === 'all' ? orderedIds : selection.ids);
  const select = !ids.has(id);
  let targets = [id];
  if (range && selection.anchor != null) {
    const from = orderedIds.indexOf(selection.anchor);
    const to = orderedIds.indexOf(id);
    if (from !== -1 && to !== -1) {
      const [start, end] = from <= to ? [from, to] : [to, from];
      targets = orderedIds.slice(start, end + 1);
    }
  }
  for (const target of targets) {
    if (select) ids.add(target);
    else ids.delete(target);
  }
  return { mode: 'ids', ids, anchor: id, filter: null, count: ids.size };
}

/** Select every ticket matching `filter`: `count` of them, whether loaded or not. */
export function selectAllMatching(filter, count) {
  return { mode: 'all', ids: new Set(), anchor: null, filter: { ...filter }, count };
}

export function isSelected(selection, id) {
  return selection.mode === 'all' || selection.ids.has(id);
}

export function selectionSize(selection) {
  return selection.mode === 'all' ? selection.count : selection.ids.size;
}

/** The target half of a bulk request: `{ ids }` or `{ filter }`. */
export function selectionTarget(selection) {
  if (selection.mode === 'all') return { filter: selection.filter };
  return { ids: [...selection.ids] };
}
