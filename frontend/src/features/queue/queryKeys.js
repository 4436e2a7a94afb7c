// Cache keys of the queue feature.
export const queueKeys = {
  count: (params) => ['tickets', 'count', params],
  agents: () => ['agents', 'list'],
  bulk: () => ['tickets', 'bulk'],
};
