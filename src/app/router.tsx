import { Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { paths } from '../paths.ts';
import { AppErrorBoundary } from './AppErrorBoundary.tsx';
import { ClientsScreen } from './ClientsScreen.tsx';
import { useHashLocation, useHashSearch } from './hash-location.ts';
import { Layout } from './Layout.tsx';

// The trust map loads when first opened: it adds nothing to the first page.
const TrustMapScreen = lazy(() =>
  import('./TrustMapScreen.tsx').then((module) => ({ default: module.TrustMapScreen })),
);

export function AppRoutes({ homeRealm }: { homeRealm: string }) {
  return (
    <Router hook={useHashLocation} searchHook={useHashSearch}>
      <AppErrorBoundary>
        <Switch>
          <Route path={paths.clients.pattern}>
            <Layout>
              <ClientsScreen />
            </Layout>
          </Route>
          <Route path={paths.trustMap.pattern}>
            <Layout>
              <Suspense fallback={<Text size="sm">Loading the trust map…</Text>}>
                <TrustMapScreen />
              </Suspense>
            </Layout>
          </Route>
          <Route>
            <Redirect to={paths.clients.to({ realm: homeRealm })} replace />
          </Route>
        </Switch>
      </AppErrorBoundary>
    </Router>
  );
}
