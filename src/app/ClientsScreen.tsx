import { Button } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { useRunJournals } from '../features/runs/use-run-journals.ts';
import { useSession } from '../keycloak/session-context.tsx';
import { activeRuns } from '../remediation/active-runs.ts';

// The detail drawer, the fix wizard and the run history load on first use, outside the first paint.
const ClientDetailDrawer = lazy(() =>
  import('../features/client-detail/ClientDetailDrawer.tsx').then((module) => ({ default: module.ClientDetailDrawer })),
);
const FixWizard = lazy(() =>
  import('../features/fix-wizard/FixWizard.tsx').then((module) => ({ default: module.FixWizard })),
);
const InterruptedRuns = lazy(() =>
  import('../features/runs/RunsPanel.tsx').then((module) => ({ default: module.InterruptedRuns })),
);
const RunsDrawer = lazy(() =>
  import('../features/runs/RunsPanel.tsx').then((module) => ({ default: module.RunsDrawer })),
);

/** The clients table, the detail drawer when the URL names a client, the fix wizard, and the run history. */
export function ClientsScreen() {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params] = useSearchParams();
  const { auth } = useSession();
  const [fixing, setFixing] = useState<{ clientIds: string[]; audience?: string } | undefined>();
  const [runsOpen, setRunsOpen] = useState(false);
  useEffect(() => auth.holdSignInWhile(() => activeRuns().size > 0), [auth]);
  const { interrupted } = useRunJournals(realm);
  // Once shown, the banner stays to report the outcome of its rollback or resume.
  const [bannerShown, setBannerShown] = useState(false);
  useEffect(() => {
    if (interrupted.length > 0) setBannerShown(true);
  }, [interrupted.length]);
  return (
    <>
      {fixing === undefined && bannerShown && (
        <Suspense fallback={null}>
          <InterruptedRuns realm={realm} />
        </Suspense>
      )}
      <ClientsPage
        onFix={(clientIds) => setFixing({ clientIds })}
        actions={
          <Button size="xs" variant="default" onClick={() => setRunsOpen(true)}>
            Recent runs
          </Button>
        }
      />
      {params.has('client') && (
        <Suspense fallback={null}>
          <ClientDetailDrawer
            onFix={(clientIds) => setFixing({ clientIds })}
            onAddAudience={(audience) => setFixing({ clientIds: [], audience })}
          />
        </Suspense>
      )}
      {fixing && (
        <Suspense fallback={null}>
          <FixWizard
            realm={realm}
            clientIds={fixing.clientIds}
            audience={fixing.audience}
            onClose={() => setFixing(undefined)}
          />
        </Suspense>
      )}
      {runsOpen && (
        <Suspense fallback={null}>
          <RunsDrawer realm={realm} opened onClose={() => setRunsOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
