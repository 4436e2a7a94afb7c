export const commentKeys = {
  all: ['comments'],
  list: (ticketId) => ['comments', ticketId],
};
