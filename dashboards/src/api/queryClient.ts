/**
 * The QueryClient: a 401 on any request signs out (the token was revoked or expired) and
 * drops every cached figure; only network failures and 5xx are retried (twice), never a
 * 400/403/404 that would answer the same again. Window focus does not refetch: staleTime
 * per query decides (see queries.ts).
 */
import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { signOut } from '../auth/session.ts';
import { ApiError } from './client.ts';

export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) {
      signOut('expired');
      client.clear();
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        retry: (count, error) => error instanceof ApiError && (error.status === 0 || error.status >= 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
