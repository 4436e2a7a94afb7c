import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { EVENTS_URL } from '../../../lib/config';
import { statsKeys } from '../../stats/api';
import { openLiveConnection } from '../connection';
import { createLiveApplier, createThrottle } from '../liveCache';
import { createLiveStore } from '../liveStore';

const LiveContext = createContext(null);

/** Statistics refresh at most this often while events arrive. */
export const STATS_REFRESH_MS = 1000;

/** Whether the agent sees the top of the ticket list (or there is none on the page). */
function isListAtTop() {
  const first = document.querySelector('.ticket-list__items > li');
  return !first || first.getBoundingClientRect().top >= -8;
}

/**
 * The app's one connection to the event stream, applying every event to the
 * query cache. Mounted once, in the layout. `connect` replaces the connection
 * (tests pass a fake); `enabled` false keeps it closed.
 */
export default function LiveProvider({ children, url = EVENTS_URL, connect = openLiveConnection, enabled = true }) {
  const queryClient = useQueryClient();
  const [store] = useState(createLiveStore);

  useEffect(() => {
    if (!enabled) return undefined;
    const refreshStats = createThrottle(
      () => queryClient.invalidateQueries({ queryKey: statsKeys.all }),
      STATS_REFRESH_MS,
    );
    const apply = createLiveApplier(queryClient, {
      isListAtTop,
      onArrival: store.addArrival,
      refreshStats,
    });
    let wasLive = false;
    const close = connect({
      url,
      onEvent: apply,
      onStatus: (status) => {
        // Back after a break: the statistics may have moved meanwhile.
        if (status === 'live' && wasLive) refreshStats();
        if (status === 'live') wasLive = true;
        store.setStatus(status);
      },
    });
    return () => {
      close();
      refreshStats.cancel();
    };
  }, [queryClient, store, url, connect, enabled]);

  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

const OUTSIDE = { getState: () => ({ status: 'offline', arrivals: {} }), subscribe: () => () => {} };

/** The live store's state: { status, arrivals }. Outside a provider: offline. */
export function useLiveState() {
  const store = useContext(LiveContext) || OUTSIDE;
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
