import { startTransition, useDeferredValue, useEffect, useRef, useState } from 'react';
import ErrorState from '../../../components/ErrorState';
import { formatNumber } from '../../../lib/format';
import { useAgents } from '../../agents/hooks/useAgents';
import LiveMark, { liveItemProps } from '../../live/components/LiveMark';
import { useChoices } from '../hooks/useTicketMeta';
import TicketCard from './TicketCard';

function LoadingCards() {
  return (
    <div className="ticket-skeletons" aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <div key={i} className="ticket-card skeleton" />
      ))}
    </div>
  );
}

// How many cards are added at a time: about a phone's screenful.
export const CARD_BATCH = 8;

/**
 * How many of `total` cards to render: a batch first, then one more batch per task, so a
 * page of cards is built in short tasks the browser can paint and answer input between,
 * instead of one long one. Once grown, the count stays (new tickets arriving live are added
 * at once).
 */
function useGrowingCount(total) {
  const [count, setCount] = useState(CARD_BATCH);
  useEffect(() => {
    if (count >= total) return undefined;
    const timer = setTimeout(() => startTransition(() => setCount((n) => n + CARD_BATCH)));
    return () => clearTimeout(timer);
  }, [count, total]);
  return Math.min(count, total);
}

/** Calls `onVisible` when the end of the list scrolls into view. */
function useEndOfList(onVisible, enabled) {
  const ref = useRef(null);
  const callbackRef = useRef(onVisible);
  useEffect(() => {
    callbackRef.current = onVisible;
  });
  useEffect(() => {
    const node = ref.current;
    if (!enabled || !node || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callbackRef.current();
      },
      { rootMargin: '400px 0px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [enabled]);
  return ref;
}

/**
 * The tickets, newest first, a page at a time. Props in: the list state from
 * useTickets; events out: onLoadMore, onRetry, onChangeTicket, onDismissError,
 * onClearFilters.
 */
export default function TicketList({
  tickets,
  status,
  error,
  hasMore,
  loadingMore,
  loadMoreError,
  rowState = {},
  filtersActive = false,
  totalTickets = null,
  onLoadMore,
  onRetry,
  onChangeTicket,
  onDismissError,
  onClearFilters,
}) {
  // A page of cards renders as a transition React can interrupt, in slices, so
  // the page stays responsive while fifty cards are built; until then the
  // previous cards stay on screen. The first cards of an empty list (a batch of
  // them) show at once: there is nothing to keep on screen instead.
  const meta = useChoices();
  const { agents } = useAgents();
  const deferred = useDeferredValue(tickets);
  const deferredTickets = deferred.length === 0 ? tickets : deferred;
  const shownCount = useGrowingCount(deferredTickets.length);
  const shownTickets = shownCount < deferredTickets.length ? deferredTickets.slice(0, shownCount) : deferredTickets;
  const allShown = shownCount === deferredTickets.length;
  // The footer (watched for the end of the list) exists once cards are shown.
  const endRef = useEndOfList(
    () => onLoadMore?.(),
    status === 'ready' && hasMore && !loadMoreError && shownTickets.length > 0 && allShown,
  );
  const firstLoad = (status === 'loading' || (status === 'ready' && tickets.length > 0)) && shownTickets.length === 0;

  let summary = '';
  if (status === 'ready' && tickets.length > 0) {
    const shown = formatNumber(tickets.length);
    summary =
      !filtersActive && totalTickets != null && totalTickets >= tickets.length
        ? `Showing ${shown} of ${formatNumber(totalTickets)} tickets`
        : `Showing ${shown}${hasMore ? '+' : ''} matching ticket${tickets.length === 1 ? '' : 's'}`;
  }

  return (
    <section
      className="ticket-list"
      aria-labelledby="ticket-list-heading"
      aria-busy={status === 'loading' ? 'true' : 'false'}
    >
      <div className="ticket-list__header">
        <h2 id="ticket-list-heading" className="section-title">
          Tickets
        </h2>
        <p className="ticket-list__summary" aria-live="polite">
          {status === 'loading' && tickets.length > 0 ? 'Updating…' : summary}
        </p>
      </div>

      {firstLoad ? (
        <>
          <p className="visually-hidden" role="status">
            Loading tickets…
          </p>
          <LoadingCards />
        </>
      ) : null}

      {status === 'error' ? <ErrorState title="Tickets could not be loaded" error={error} onRetry={onRetry} /> : null}

      {status === 'ready' && tickets.length === 0 ? (
        <div className="empty-state">
          {filtersActive ? (
            <>
              <p className="empty-state__title">No tickets match these filters.</p>
              <p>Try a different search or widen the filters.</p>
              <button type="button" className="button" onClick={onClearFilters}>
                Clear filters
              </button>
            </>
          ) : (
            <>
              <p className="empty-state__title">No tickets yet.</p>
              <p>Create the first one with the New ticket form.</p>
            </>
          )}
        </div>
      ) : null}

      {shownTickets.length > 0 && status !== 'error' ? (
        <ul className={`ticket-list__items${status === 'loading' ? ' is-stale' : ''}`} aria-label="Tickets">
          {shownTickets.map((ticket) => (
            <li key={ticket.id} {...liveItemProps(ticket)}>
              <LiveMark ticket={ticket} />
              <TicketCard
                ticket={ticket}
                meta={meta}
                agents={agents}
                saving={Boolean(rowState[ticket.id]?.saving)}
                error={rowState[ticket.id]?.error || null}
                onChange={onChangeTicket}
                onDismissError={onDismissError}
              />
            </li>
          ))}
        </ul>
      ) : null}

      {status === 'ready' && shownTickets.length > 0 && allShown ? (
        <div className="ticket-list__footer" ref={endRef}>
          {loadMoreError ? (
            <ErrorState compact title="More tickets could not be loaded" error={loadMoreError} onRetry={onLoadMore} />
          ) : null}
          {hasMore && !loadMoreError ? (
            <button type="button" className="button" onClick={onLoadMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          {!hasMore ? (
            <p className="ticket-list__end">{`That's every ticket${filtersActive ? ' matching these filters' : ''}.`}</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
