import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { auditQuery } from '../keycloak/queries.ts';
import { type Session, SessionProvider } from '../keycloak/session-context.tsx';
import { realmInPath } from '../paths.ts';
import { currentPath } from './hash-location.ts';
import { UiProviders } from './Providers.tsx';
import { AppRoutes } from './router.tsx';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will not go away by asking again.
        retry: (failureCount, error) => failureCount < 2 && (error as { kind?: string }).kind === 'network',
      },
    },
  });
}

/**
 * Starts reading the realm the URL opens on before the first render, which would start it only once the
 * shell is rendered and laid out (about 0.1 s after the sign-in on this machine); the screen takes over
 * the read under the same query key.
 */
export function startRouteRead(queryClient: QueryClient, session: Session): void {
  const realm = realmInPath(currentPath());
  if (realm) void queryClient.prefetchQuery(auditQuery(session, realm, queryClient));
}

export function App({ session, queryClient }: { session: Session; queryClient: QueryClient }) {
  return (
    <UiProviders>
      <QueryClientProvider client={queryClient}>
        <SessionProvider session={session}>
          <AppRoutes homeRealm={session.config.realm} />
        </SessionProvider>
      </QueryClientProvider>
    </UiProviders>
  );
}
