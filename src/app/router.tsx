import { Redirect, Route, Router, Switch } from 'wouter';
import { paths } from '../paths.ts';
import { AppErrorBoundary } from './AppErrorBoundary.tsx';
import { ClientsScreen } from './ClientsScreen.tsx';
import { useHashLocation, useHashSearch } from './hash-location.ts';
import { Layout } from './Layout.tsx';

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
          <Route>
            <Redirect to={paths.clients.to({ realm: homeRealm })} replace />
          </Route>
        </Switch>
      </AppErrorBoundary>
    </Router>
  );
}
