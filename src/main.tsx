import { Center, Loader } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient, startRouteRead } from './app/App.tsx';
import { UiProviders } from './app/Providers.tsx';
import { StartupProblemPage } from './app/StartupProblemPage.tsx';
import { startUp } from './app/startup.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

root.render(
  <UiProviders>
    <Center h="100vh">
      <Loader aria-label="Connecting to Keycloak" />
    </Center>
  </UiProviders>,
);

// keycloak-js runs before React and the router: it rewrites the URL when it returns from Keycloak.
startUp().then(
  (result) => {
    if (result.kind === 'ready') {
      const queryClient = createQueryClient();
      startRouteRead(queryClient, result.session);
      root.render(
        <StrictMode>
          <App session={result.session} queryClient={queryClient} />
        </StrictMode>,
      );
    } else {
      root.render(
        <StrictMode>
          <UiProviders>
            <StartupProblemPage problem={result.problem} />
          </UiProviders>
        </StrictMode>,
      );
    }
  },
  (error: unknown) =>
    root.render(
      <UiProviders>
        <StartupProblemPage
          problem={{
            title: 'Audience Doctor could not start',
            explanation: error instanceof Error ? error.message : String(error),
            details: [],
            fixes: ['Reload the page. If it happens again, please report it.'],
          }}
        />
      </UiProviders>,
    ),
);
