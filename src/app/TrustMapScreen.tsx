import { Button } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import {
  loadRequirementsDraft,
  removeRequirementsDraft,
  saveRequirementsDraft,
} from '../features/fix-wizard/requirements-draft.ts';
import {
  newRequirementsWizard,
  newWizard,
  readWizard,
  type WizardUrl,
  writeWizard,
} from '../features/fix-wizard/wizard-url.ts';
import { TrustMapPage } from '../features/trust-map/TrustMapPage.tsx';
import { useSession } from '../keycloak/session-context.tsx';
import { activeRuns } from '../remediation/active-runs.ts';
import { newRunId } from '../remediation/run-id.ts';

const FixWizard = lazy(() =>
  import('../features/fix-wizard/FixWizard.tsx').then((module) => ({ default: module.FixWizard })),
);
const RunsDrawer = lazy(() =>
  import('../features/runs/RunsPanel.tsx').then((module) => ({ default: module.RunsDrawer })),
);

type Edits = Map<string, string[] | null>;
const NO_EDITS: Edits = new Map();

/**
 * After a reload with the requirements wizard open, the page behind it shows the same edits again: those of
 * the run's draft that its run has not written yet.
 */
function editsOfOpenWizard(params: URLSearchParams): Record<string, Edits> {
  const wizard = readWizard(params);
  const draft = wizard?.requirements ? loadRequirementsDraft(wizard.runId) : undefined;
  if (!draft) return {};
  const written = new Set(draft.written);
  return {
    [draft.realm]: new Map(Object.entries(draft.requirements).filter(([clientId]) => !written.has(clientId))),
  };
}

/**
 * The trust map, and the fix wizard over it when the URL holds one: the same URL state as on the clients
 * screen, so a red cell opens the wizard here and the map shows the result when it closes. The "what if"
 * edits of each realm are kept here, above the page, so that the wizard can write them and take away
 * what it wrote.
 */
export function TrustMapScreen() {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params, setParams] = useSearchParams();
  const { auth } = useSession();
  const wizard = readWizard(params);
  const [editsByRealm, setEditsByRealm] = useState<Record<string, Edits>>(() => editsOfOpenWizard(params));
  const [runsOpen, setRunsOpen] = useState(false);
  const edits = editsByRealm[realm] ?? NO_EDITS;
  const setEdits = useCallback(
    (next: (current: Edits) => Edits) =>
      setEditsByRealm((current) => ({ ...current, [realm]: next(current[realm] ?? NO_EDITS) })),
    [realm],
  );
  // "caller A must carry X": the cross-client fix (for a client X or a custom audience X); A's own clientId:
  // the fix of its own audience.
  const openFix = (caller: string, audience: string, custom: boolean) =>
    setParams((current) =>
      writeWizard(
        current,
        audience === caller
          ? newWizard({ clientIds: [caller] }, newRunId())
          : newWizard({ clientIds: [caller] }, newRunId(), audience, custom),
      ),
    );
  const openRequirements = (requirements: Record<string, string[] | null>) => {
    const runId = newRunId();
    saveRequirementsDraft(runId, { realm, requirements, written: [] });
    setParams((current) => writeWizard(current, newRequirementsWizard(runId)));
  };
  const changeWizard = useCallback(
    (next: WizardUrl, replace?: boolean) => setParams((current) => writeWizard(current, next), { replace }),
    [setParams],
  );
  const written = useCallback(
    (clientIds: string[]) =>
      setEdits((current) => new Map([...current].filter(([clientId]) => !clientIds.includes(clientId)))),
    [setEdits],
  );
  const close = () => {
    if (wizard?.requirements) removeRequirementsDraft(wizard.runId);
    setParams((current) => writeWizard(current, undefined));
  };
  useEffect(() => auth.holdSignInWhile(() => activeRuns().size > 0), [auth]);
  return (
    <>
      <TrustMapPage
        onFix={openFix}
        edits={edits}
        onEditsChange={(next) => setEdits(() => next)}
        onWriteRequirements={openRequirements}
        actions={
          <Button size="xs" variant="default" onClick={() => setRunsOpen(true)}>
            Recent runs
          </Button>
        }
      />
      {wizard && (
        <Suspense fallback={null}>
          <FixWizard
            realm={realm}
            wizard={wizard}
            clientIds={'clientIds' in wizard.target ? wizard.target.clientIds : []}
            onChange={changeWizard}
            onClose={close}
            onRequirementsWritten={written}
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
