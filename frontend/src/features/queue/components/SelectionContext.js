import { createContext, useContext } from 'react';

/** The queue's selection for the cards: { isSelected(id), toggle(id, { range }) } or null. */
export const SelectionContext = createContext(null);

export function useSelectionContext() {
  return useContext(SelectionContext);
}
