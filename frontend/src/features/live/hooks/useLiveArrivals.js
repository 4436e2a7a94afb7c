import { useNewArrivals } from '../../tickets/hooks/useNewArrivals';
import { filterParams } from '../../tickets/api';
import { ticketKeys } from '../../tickets/queryKeys';
import { useLiveState } from '../components/LiveProvider';

/**
 * How many new tickets matching `filters` arrived since the list was loaded
 * and are not shown yet (the agent had scrolled down). While the stream is
 * offline the count falls back to the statistics' total, as without events.
 */
export function useLiveArrivals(filters, list, total) {
  const fallback = useNewArrivals(total, list.version);
  const { status, arrivals } = useLiveState();
  if (status === 'offline') return fallback;
  const entry = arrivals[JSON.stringify(ticketKeys.list(filterParams(filters)))];
  const shown = new Set(list.tickets.map((ticket) => ticket.id));
  const count = entry && entry.loadNumber === list.version ? entry.ids.filter((id) => !shown.has(id)).length : 0;
  return { arrivals: count, noteOwnCreate: fallback.noteOwnCreate };
}
