import { createHashRouter, Navigate } from 'react-router';
import { paths } from '../paths.ts';
import { ClientsScreen } from './ClientsScreen.tsx';
import { Layout } from './Layout.tsx';
import { RouteError } from './RouteError.tsx';

/** Hash routes: the path on the server never changes, so any static host and sub-path works. */
export function createAppRouter(homeRealm: string) {
  return createHashRouter([
    {
      element: <Layout />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <Navigate to={paths.clients.to({ realm: homeRealm })} replace /> },
        { path: paths.clients.pattern, element: <ClientsScreen /> },
        { path: '*', element: <Navigate to={paths.clients.to({ realm: homeRealm })} replace /> },
      ],
    },
  ]);
}
