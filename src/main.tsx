import { Center, Loader } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, queryClientFor } from './app/App.tsx';
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
  (result) =>
    root.render(
      <StrictMode>
        {result.kind === 'ready' ? (
          <App session={result.session} queryClient={queryClientFor(result.session)} />
        ) : (
          <UiProviders>
            <StartupProblemPage problem={result.problem} />
          </UiProviders>
        )}
      </StrictMode>,
    ),
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
