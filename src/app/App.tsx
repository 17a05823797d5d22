import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { auditQuery } from '../keycloak/queries.ts';
import { type Session, SessionProvider } from '../keycloak/session-context.tsx';
import { realmInPath } from '../paths.ts';
import { currentPath } from './hash-location.ts';
import { UiProviders } from './Providers.tsx';
import { AppRoutes } from './router.tsx';

function createQueryClient(): QueryClient {
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
 * The session's query client, already reading the realm the URL opens on: started by its screen, the read
 * waited for the shell's first render and layout (about 0.1 s after the sign-in on this machine). The screen
 * takes the read over under the same query key.
 */
export function queryClientFor(session: Session): QueryClient {
  const queryClient = createQueryClient();
  const realm = realmInPath(currentPath());
  if (realm) void queryClient.prefetchQuery(auditQuery(session, realm, queryClient));
  return queryClient;
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
