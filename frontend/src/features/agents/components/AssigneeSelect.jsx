import { agentLabel, useAgents } from '../hooks/useAgents';

/** Choose who works on a ticket, among `agents`; the list of cards reads them once for all its cards. */
export function AgentSelect({ agents, value, onChange, label = 'Assignee', disabled = false, className = '' }) {
  const known = value == null || agents.some((a) => a.id === value);
  return (
    <label className={`inline-field ${className}`.trim()}>
      <span>{label}</span>
      <select
        value={value == null ? '' : String(value)}
        disabled={disabled}
        onChange={(event) => onChange?.(event.target.value === '' ? null : Number(event.target.value))}
      >
        <option value="">Unassigned</option>
        {agents.map((agent) => (
          <option key={agent.id} value={String(agent.id)}>
            {agent.name || agent.username}
          </option>
        ))}
        {known ? null : <option value={String(value)}>{agentLabel(agents, value)}</option>}
      </select>
    </label>
  );
}

/**
 * Choose who works on a ticket. Props in: value (agent id or null), label,
 * disabled; event out: onChange(agentId or null). An id that is not an active
 * agent (deactivated) stays selectable as "Agent #id".
 */
export default function AssigneeSelect(props) {
  const { agents } = useAgents();
  return <AgentSelect agents={agents} {...props} />;
}
