import { useAgents } from '../../agents/hooks/useAgents';
import { valueLabel } from '../../history/timeline';
import { useChoices } from '../hooks/useTicketMeta';

const LABELS = {
  title: 'Title',
  description: 'Description',
  category: 'Category',
  priority: 'Priority',
  status: 'Status',
  assignee: 'Assignee',
};

/**
 * Someone else changed the ticket since it was read, so the agent's change
 * was not saved. Props in: conflict { mine, current }, busy; events out:
 * onReapply, onDiscard.
 */
export default function ConflictNotice({ conflict, busy = false, onReapply, onDiscard }) {
  const meta = useChoices();
  const { nameOf } = useAgents();
  const show = (field, value) => valueLabel(field, value, { meta, agentName: nameOf });
  return (
    <div className="conflict-notice" role="alert" aria-labelledby="conflict-title">
      <p id="conflict-title" className="conflict-notice__title">
        Changed by someone else
      </p>
      <p>Your change was not saved. The ticket now shows what it is; yours is beside it.</p>
      <dl className="conflict-notice__fields">
        {Object.entries(conflict.mine).map(([field, value]) => (
          <div key={field}>
            <dt>{LABELS[field] || field}</dt>
            <dd>
              Now: {show(field, conflict.current[field])}; yours: {show(field, value)}
            </dd>
          </div>
        ))}
      </dl>
      <div className="conflict-notice__actions">
        <button type="button" className="button button--primary" onClick={onReapply} disabled={busy}>
          Re-apply my changes
        </button>
        <button type="button" className="button" onClick={onDiscard} disabled={busy}>
          Discard my changes
        </button>
      </div>
    </div>
  );
}
