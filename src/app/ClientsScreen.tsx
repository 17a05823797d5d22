import { lazy, Suspense, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';

// The detail drawer (and its token check) and the fix wizard load on first use, outside the first paint.
const ClientDetailDrawer = lazy(() =>
  import('../features/client-detail/ClientDetailDrawer.tsx').then((module) => ({ default: module.ClientDetailDrawer })),
);
const FixWizard = lazy(() =>
  import('../features/fix-wizard/FixWizard.tsx').then((module) => ({ default: module.FixWizard })),
);

/** The clients table, the detail drawer when the URL names a client, and the fix wizard when one is started. */
export function ClientsScreen() {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params] = useSearchParams();
  const [fixing, setFixing] = useState<string[] | undefined>();
  return (
    <>
      <ClientsPage onFix={setFixing} />
      {params.has('client') && (
        <Suspense fallback={null}>
          <ClientDetailDrawer onFix={setFixing} />
        </Suspense>
      )}
      {fixing && (
        <Suspense fallback={null}>
          <FixWizard realm={realm} clientIds={fixing} onClose={() => setFixing(undefined)} />
        </Suspense>
      )}
    </>
  );
}
