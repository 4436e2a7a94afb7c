// Every cache key of the tickets feature, so reads and writes agree on them.
export const ticketKeys = {
  all: ['tickets'],
  lists: () => ['tickets', 'list'],
  list: (params) => ['tickets', 'list', params],
  detail: (id) => ['tickets', 'detail', id],
  meta: () => ['tickets', 'meta'],
  classify: (text) => ['tickets', 'classify', text],
  update: () => ['tickets', 'update'],
};
