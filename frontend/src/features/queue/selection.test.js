import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  isSelected,
  selectAllMatching,
  selectionSize,
  selectionTarget,
  toggleSelection,
} from './selection';

const ORDER = [50, 40, 30, 20, 10];

describe('selection', () => {
  it('toggles one ticket on and off', () => {
    const one = toggleSelection(EMPTY_SELECTION, 30, { orderedIds: ORDER });
    expect([...one.ids]).toEqual([30]);
    expect(toggleSelection(one, 30, { orderedIds: ORDER }).ids.size).toBe(0);
  });

  it('selects the range between the last click and a shift-click, in either direction', () => {
    const first = toggleSelection(EMPTY_SELECTION, 40, { orderedIds: ORDER });
    const down = toggleSelection(first, 10, { range: true, orderedIds: ORDER });
    expect([...down.ids].sort()).toEqual([10, 20, 30, 40]);

    const start = toggleSelection(EMPTY_SELECTION, 20, { orderedIds: ORDER });
    const up = toggleSelection(start, 50, { range: true, orderedIds: ORDER });
    expect([...up.ids].sort()).toEqual([20, 30, 40, 50]);
  });

  it('unselects a range when the shift-clicked ticket was selected', () => {
    let s = EMPTY_SELECTION;
    for (const id of ORDER) s = toggleSelection(s, id, { orderedIds: ORDER });
    s = toggleSelection(s, 40, { orderedIds: ORDER }); // anchor, now unselected
    s = toggleSelection(s, 20, { range: true, orderedIds: ORDER });
    expect([...s.ids].sort()).toEqual([10, 50]);
  });

  it('treats a shift-click without an earlier click as a single toggle', () => {
    const s = toggleSelection(EMPTY_SELECTION, 20, { range: true, orderedIds: ORDER });
    expect([...s.ids]).toEqual([20]);
  });

  it('selecting all matching sends the filter, not ids, and counts every match', () => {
    const filter = { status: 'open', search: 'login' };
    const all = selectAllMatching(filter, 1234);
    expect(selectionSize(all)).toBe(1234);
    expect(isSelected(all, 999999)).toBe(true);
    expect(selectionTarget(all)).toEqual({ filter });
  });

  it('clicking one card after selecting all keeps the loaded tickets but that one', () => {
    const all = selectAllMatching({}, 1234);
    const s = toggleSelection(all, 30, { orderedIds: ORDER });
    expect(s.mode).toBe('ids');
    expect(selectionTarget(s).ids.sort()).toEqual([10, 20, 40, 50]);
  });
});
