import { QueryClient } from '@tanstack/react-query';

/**
 * How long data a route asked for ahead of its page stays fresh: the page's code arrives a
 * moment later, and mounting it (or enabling the list once the choices are in) must not ask
 * for the same data a second time. Writes and live events still refresh it at once.
 */
export const PREFETCH_FRESH_MS = 5000;

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
