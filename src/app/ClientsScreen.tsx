import { lazy, Suspense } from 'react';
import { useSearchParams } from 'wouter';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';

// The detail drawer (and its token check) loads on first use, outside the first paint.
const ClientDetailDrawer = lazy(() =>
  import('../features/client-detail/ClientDetailDrawer.tsx').then((module) => ({ default: module.ClientDetailDrawer })),
);

/** The clients table and, when the URL names a client, its detail drawer. */
export function ClientsScreen() {
  const [params] = useSearchParams();
  return (
    <>
      <ClientsPage />
      {params.has('client') && (
        <Suspense fallback={null}>
          <ClientDetailDrawer />
        </Suspense>
      )}
    </>
  );
}
