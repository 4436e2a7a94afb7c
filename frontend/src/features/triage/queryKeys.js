import { statsKeys } from '../stats/api';

// Triage statistics live under the statistics' key, so every ticket write
// (which invalidates the statistics) refreshes them too.
export const triageKeys = {
  stats: (days) => [...statsKeys.all, 'triage', days],
  similar: (text) => ['triage', 'similar', text],
};
