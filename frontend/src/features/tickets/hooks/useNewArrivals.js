import { useCallback, useState } from 'react';

/**
 * How many tickets others created since the list was loaded, judged from the
 * polled statistics total. `listVersion` changes on every fresh load of the
 * list; `noteOwnCreate` keeps the agent's own tickets out of the count.
 */
export function useNewArrivals(total, listVersion) {
  // The total seen when the list (of this version) was loaded.
  const [baseline, setBaseline] = useState(null);
  const known = typeof total === 'number';

  // A fresh list: its first known total is what the agent has seen. Set while
  // rendering, so the count never shows a stale baseline for a moment.
  if (listVersion > 0 && known && baseline?.version !== listVersion) {
    setBaseline({ version: listVersion, total });
  }

  const noteOwnCreate = useCallback(() => {
    setBaseline((b) => (b === null ? b : { ...b, total: b.total + 1 }));
  }, []);

  const current = baseline?.version === listVersion ? baseline : null;
  const arrivals = current && known ? Math.max(0, total - current.total) : 0;
  return { arrivals, noteOwnCreate };
}
