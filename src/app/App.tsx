import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { type Session, SessionProvider } from '../keycloak/session-context.tsx';
import { UiProviders } from './Providers.tsx';
import { AppRoutes } from './router.tsx';

function createQueryClient() {
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

export function App({ session }: { session: Session }) {
  const [queryClient] = useState(createQueryClient);
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
