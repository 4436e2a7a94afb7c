// The stream's status and the tickets that arrived in a list the agent had
// scrolled down (shown as the "new tickets" notice), for components to read.

export function createLiveStore() {
  let state = { status: 'connecting', arrivals: {} };
  const listeners = new Set();
  const set = (next) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setStatus(status) {
      if (status !== state.status) set({ status });
    },
    /** A ticket matching list `queryKey` arrived while its first page was load `loadNumber`. */
    addArrival(queryKey, ticket, loadNumber) {
      const key = JSON.stringify(queryKey);
      const list = state.arrivals[key]?.loadNumber === loadNumber ? state.arrivals[key] : { loadNumber, ids: [] };
      if (list.ids.includes(ticket.id)) return;
      set({ arrivals: { ...state.arrivals, [key]: { loadNumber, ids: [...list.ids, ticket.id] } } });
    },
  };
}
