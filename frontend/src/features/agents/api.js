import { request } from '../../lib/apiClient';

/** The active agents: [{ id, username, name }]. */
export function listAgents({ signal } = {}) {
  return request({ method: 'get', url: '/agents/', signal });
}
