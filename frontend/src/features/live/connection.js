// One EventSource to the event stream, kept open: the browser reconnects by
// itself with Last-Event-ID; when it gives up (an error answer, a proxy's 502)
// a new EventSource is made after a pause, asking for what came after the last
// event seen (?last_event_id=), so nothing is missed either way.

export const EVENT_TYPES = ['ticket.created', 'ticket.updated', 'ticket.deleted', 'comment.created', 'reset', 'ready'];
export const RETRY_MS = [1000, 2000, 5000, 10000, 30000];
// Trying to reconnect for longer than this shows as offline.
export const OFFLINE_AFTER_MS = 20000;

function withLastEventId(url, lastEventId) {
  if (!lastEventId) return url;
  const next = new URL(url, window.location.href);
  next.searchParams.set('last_event_id', lastEventId);
  return next.toString();
}

/**
 * Opens the stream and keeps it open. onEvent(type, data) for each event;
 * onStatus('connecting' | 'live' | 'reconnecting' | 'offline'). Returns close().
 */
export function openLiveConnection({
  url,
  onEvent,
  onStatus,
  EventSourceImpl = globalThis.EventSource,
  now = () => Date.now(),
  setTimer = setTimeout,
  clearTimer = clearTimeout,
}) {
  if (typeof EventSourceImpl !== 'function') {
    onStatus('offline');
    return () => {};
  }
  let source = null;
  let lastEventId = '';
  let failingSince = null;
  let attempt = 0;
  let retryTimer = null;
  let offlineTimer = null;
  let closed = false;
  let status = null;

  const setStatus = (next) => {
    if (next !== status) {
      status = next;
      onStatus(next);
    }
  };

  const failing = () => {
    if (failingSince === null) failingSince = now();
    const offline = now() - failingSince >= OFFLINE_AFTER_MS || globalThis.navigator?.onLine === false;
    setStatus(offline ? 'offline' : 'reconnecting');
    if (!offline && offlineTimer === null) {
      offlineTimer = setTimer(
        () => {
          offlineTimer = null;
          if (failingSince !== null && !closed) setStatus('offline');
        },
        OFFLINE_AFTER_MS - (now() - failingSince),
      );
    }
  };

  const recovered = () => {
    failingSince = null;
    attempt = 0;
    if (offlineTimer !== null) clearTimer(offlineTimer);
    offlineTimer = null;
    setStatus('live');
  };

  const handle = (type) => (message) => {
    if (message.lastEventId) lastEventId = message.lastEventId;
    let data = {};
    try {
      data = message.data ? JSON.parse(message.data) : {};
    } catch {
      return;
    }
    if (type === 'ready') {
      if (data.last_event_id != null) lastEventId = String(data.last_event_id);
      recovered();
    }
    onEvent(type, data);
  };

  const connect = () => {
    retryTimer = null;
    if (closed) return;
    source = new EventSourceImpl(withLastEventId(url, lastEventId), { withCredentials: true });
    source.onopen = recovered;
    source.onerror = () => {
      if (closed) return;
      failing();
      if (source.readyState === 2) {
        // Closed for good: make a new one after a pause.
        source.close();
        const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
        attempt += 1;
        retryTimer = setTimer(connect, delay);
      }
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, handle(type));
  };

  const reconnectNow = () => {
    if (retryTimer !== null) {
      clearTimer(retryTimer);
      connect();
    }
  };
  const wentOffline = () => failing();
  globalThis.addEventListener?.('online', reconnectNow);
  globalThis.addEventListener?.('offline', wentOffline);

  setStatus('connecting');
  connect();

  return function close() {
    closed = true;
    if (retryTimer !== null) clearTimer(retryTimer);
    if (offlineTimer !== null) clearTimer(offlineTimer);
    globalThis.removeEventListener?.('online', reconnectNow);
    globalThis.removeEventListener?.('offline', wentOffline);
    source?.close();
  };
}
