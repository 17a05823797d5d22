import { createHashRouter, Navigate } from 'react-router';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { paths } from '../paths.ts';
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
        { path: paths.clients.pattern, element: <ClientsPage /> },
        { path: '*', element: <Navigate to={paths.clients.to({ realm: homeRealm })} replace /> },
      ],
    },
  ]);
}
