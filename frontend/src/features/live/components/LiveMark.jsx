import { LIVE_MARK } from '../liveCache';

/** Props for a list item: marked when its ticket no longer belongs in the list. */
export function liveItemProps(ticket) {
  return ticket[LIVE_MARK] ? { className: 'live-marked' } : {};
}

/** The label of a ticket that changed out of the list's filters or was deleted (it leaves on the next reload). */
export default function LiveMark({ ticket }) {
  const mark = ticket[LIVE_MARK];
  if (!mark) return null;
  return <p className="live-mark">{mark.deleted ? 'Deleted' : 'No longer matches the filters'}</p>;
}
