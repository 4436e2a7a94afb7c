import './live.css';
import { useLiveState } from './LiveProvider';

const LABELS = {
  connecting: { text: 'Connecting', title: 'Connecting to live updates…' },
  live: { text: 'Live', title: 'Changes by anyone show here as they happen.' },
  reconnecting: { text: 'Reconnecting', title: 'The live connection dropped; reconnecting. Nothing is lost.' },
  offline: { text: 'Offline', title: 'No live updates: changes by others show after a reload or reconnect.' },
};

/** Whether the app receives live updates: a word (not only a colour) and a shape. */
export default function LiveIndicator() {
  const { status } = useLiveState();
  const label = LABELS[status] || LABELS.offline;
  return (
    <p className={`live-indicator live-indicator--${status}`} role="status" aria-live="polite" title={label.title}>
      <span className="live-indicator__dot" aria-hidden="true" />
      <span className="visually-hidden">Updates: </span>
      {label.text}
    </p>
  );
}
