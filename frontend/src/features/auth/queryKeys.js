export const authKeys = {
  all: ['auth'],
  me: () => ['auth', 'me'],
  tokens: () => ['auth', 'tokens'],
};
