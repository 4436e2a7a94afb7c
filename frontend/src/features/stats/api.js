import { request } from '../../lib/apiClient';

export const statsKeys = { all: ['stats'] };

export function getStats({ signal } = {}) {
  return request({ method: 'get', url: '/tickets/stats/', signal });
}
