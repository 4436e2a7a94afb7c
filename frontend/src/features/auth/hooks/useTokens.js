import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createToken, listTokens, revokeToken } from '../api';
import { authKeys } from '../queryKeys';

export function useTokens() {
  return useQuery({ queryKey: authKeys.tokens(), queryFn: listTokens });
}

/** Creates a token; the key lives only in the mutation's result, never in the cache. */
export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: ({ key: _key, ...token }) => {
      queryClient.setQueryData(authKeys.tokens(), (tokens) => (tokens ? [token, ...tokens] : tokens));
      queryClient.invalidateQueries({ queryKey: authKeys.tokens() });
    },
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: (_data, id) => {
      queryClient.setQueryData(authKeys.tokens(), (tokens) => tokens?.filter((token) => token.id !== id));
      queryClient.invalidateQueries({ queryKey: authKeys.tokens() });
    },
  });
}
