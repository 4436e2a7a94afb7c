export const agentKeys = {
  all: ['agents'],
};
