import { Link, useLocation } from 'react-router-dom';
import { useMe } from '../hooks/useSession';
import './auth.css';

const VIEWS = [
  { assignee: '', label: 'All tickets' },
  { assignee: 'me', label: 'Assigned to me', needsAgent: true },
  { assignee: 'none', label: 'Unassigned' },
];

function viewSearch(currentSearch, assignee) {
  const params = new URLSearchParams(currentSearch);
  if (assignee) params.set('assignee', assignee);
  else params.delete('assignee');
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The queue's views by assignee, kept in the URL (`?assignee=me|none`) with the other filters. */
export default function QueueViews({ assignee = '' }) {
  const { agent } = useMe();
  const location = useLocation();
  return (
    <nav className="queue-views" aria-label="Queue views">
      {VIEWS.filter((view) => !view.needsAgent || agent || assignee === 'me').map((view) => (
        <Link
          key={view.label}
          to={{ pathname: location.pathname, search: viewSearch(location.search, view.assignee) }}
          replace
          aria-current={assignee === view.assignee ? 'page' : undefined}
        >
          {view.label}
        </Link>
      ))}
    </nav>
  );
}
