import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getMe, signIn, signOut } from '../api';
import { authKeys } from '../queryKeys';
import { setCsrfToken } from '../session';

export const meQuery = {
  queryKey: authKeys.me(),
  queryFn: async ({ signal }) => {
    try {
      return await getMe({ signal });
    } catch (error) {
      if (error?.status === 401) return null;
      throw error;
    }
  },
  staleTime: 5 * 60 * 1000,
};

/**
 * The signed-in agent: { agent } is null when nobody is signed in (the API's
 * open mode works that way, and the required mode sends the agent to sign in).
 */
export function useMe() {
  const query = useQuery(meQuery);
  return { agent: query.data ?? null, isLoading: query.isPending, error: query.error };
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: ({ csrf_token: csrfToken, ...agent }) => {
      setCsrfToken(csrfToken);
      // What was cached belonged to nobody (or someone else): start afresh.
      queryClient.clear();
      queryClient.setQueryData(authKeys.me(), agent);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(authKeys.me(), null);
    },
  });
}
