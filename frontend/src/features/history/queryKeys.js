export const historyKeys = {
  all: ['history'],
  list: (ticketId) => ['history', ticketId],
};
