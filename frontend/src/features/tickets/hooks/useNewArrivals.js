import { useCallback, useEffect, useState } from 'react';

/**
 * How many tickets others created since the list was loaded, judged from the
 * polled statistics total. `listVersion` changes on every fresh load of the
 * list; `noteOwnCreate` keeps the agent's own tickets out of the count.
 */
export function useNewArrivals(total, listVersion) {
  const [baseline, setBaseline] = useState(null);

  useEffect(() => {
    setBaseline(null); // the list was just (re)loaded: take the next total as seen
  }, [listVersion]);

  useEffect(() => {
    if (baseline === null && listVersion > 0 && typeof total === 'number') setBaseline(total);
  }, [baseline, total, listVersion]);

  const noteOwnCreate = useCallback(() => {
    setBaseline((b) => (b === null ? b : b + 1));
  }, []);

  const arrivals = baseline !== null && typeof total === 'number' ? Math.max(0, total - baseline) : 0;
  return { arrivals, noteOwnCreate };
}
