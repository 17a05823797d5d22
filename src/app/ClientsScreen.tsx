import { Button } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { clientRows, readTableState, selectedClientIds } from '../features/clients/table-state.ts';
import {
  newWizard,
  readWizard,
  type WizardTarget,
  type WizardUrl,
  writeWizard,
} from '../features/fix-wizard/wizard-url.ts';
import { useRunJournals } from '../features/runs/use-run-journals.ts';
import { useRealmAudit } from '../keycloak/queries.ts';
import { useSession } from '../keycloak/session-context.tsx';
import { activeRuns } from '../remediation/active-runs.ts';
import { newRunId } from '../remediation/run-id.ts';

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
  const [params, setParams] = useSearchParams();
  const { auth } = useSession();
  const wizard = readWizard(params);
  const audited = useRealmAudit(realm);
  // "All matching" is kept as the table's filter: it stands for whatever matches in the realm as read now.
  // The key changes only when the clients the wizard is for can change, so the plan is not made anew per render.
  const targetKey = wizard
    ? `${JSON.stringify(wizard.target)}\n${'allMatching' in wizard.target ? params.toString() : ''}`
    : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: wizard and params are read through targetKey
  const wizardClients = useMemo(() => {
    if (!wizard) return [];
    if (!('allMatching' in wizard.target)) return wizard.target.clientIds;
    return selectedClientIds(clientRows(audited.data), { ...readTableState(params), allMatching: true });
  }, [targetKey, audited.data]);
  const openWizard = (target: WizardTarget, audience?: string, custom = false) =>
    setParams((current) => writeWizard(current, newWizard(target, newRunId(), audience, custom)));
  const changeWizard = useCallback(
    (next: WizardUrl, replace?: boolean) => setParams((current) => writeWizard(current, next), { replace }),
    [setParams],
  );
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
      {wizard === undefined && bannerShown && (
        <Suspense fallback={null}>
          <InterruptedRuns realm={realm} />
        </Suspense>
      )}
      <ClientsPage
        onFix={(selection) => openWizard(selection)}
        actions={
          <Button size="xs" variant="default" onClick={() => setRunsOpen(true)}>
            Recent runs
          </Button>
        }
      />
      {params.has('client') && (
        <Suspense fallback={null}>
          <ClientDetailDrawer
            onFix={(clientIds) => openWizard({ clientIds })}
            onAddAudience={(audience, callers = [], custom = false) =>
              openWizard({ clientIds: callers }, audience, custom)
            }
          />
        </Suspense>
      )}
      {wizard && (
        <Suspense fallback={null}>
          <FixWizard
            realm={realm}
            wizard={wizard}
            clientIds={wizardClients}
            onChange={changeWizard}
            onClose={() => setParams((current) => writeWizard(current, undefined))}
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
