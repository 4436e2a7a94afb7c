import { QueryClient } from '@tanstack/react-query';

/**
 * The app's cache of server state. A failed request is shown at once with a
 * Retry (no silent retries), and only the statistics refetch when the window
 * regains focus: a list the agent is reading does not reshuffle by itself.
 */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
