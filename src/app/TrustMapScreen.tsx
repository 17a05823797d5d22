import { lazy, Suspense, useCallback, useEffect } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { newWizard, readWizard, type WizardUrl, writeWizard } from '../features/fix-wizard/wizard-url.ts';
import { TrustMapPage } from '../features/trust-map/TrustMapPage.tsx';
import { useSession } from '../keycloak/session-context.tsx';
import { activeRuns } from '../remediation/active-runs.ts';
import { newRunId } from '../remediation/run-id.ts';

const FixWizard = lazy(() =>
  import('../features/fix-wizard/FixWizard.tsx').then((module) => ({ default: module.FixWizard })),
);

/**
 * The trust map, and the fix wizard over it when the URL holds one: the same URL state as on the clients
 * screen, so a red cell opens the wizard here and the map shows the result when it closes.
 */
export function TrustMapScreen() {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params, setParams] = useSearchParams();
  const { auth } = useSession();
  const wizard = readWizard(params);
  // "caller A must carry X": the cross-client fix; A's own clientId: the fix of its own audience.
  const openFix = (caller: string, audience: string) =>
    setParams((current) =>
      writeWizard(current, newWizard({ clientIds: [caller] }, newRunId(), audience === caller ? undefined : audience)),
    );
  const changeWizard = useCallback(
    (next: WizardUrl, replace?: boolean) => setParams((current) => writeWizard(current, next), { replace }),
    [setParams],
  );
  useEffect(() => auth.holdSignInWhile(() => activeRuns().size > 0), [auth]);
  return (
    <>
      <TrustMapPage onFix={openFix} />
      {wizard && (
        <Suspense fallback={null}>
          <FixWizard
            realm={realm}
            wizard={wizard}
            clientIds={'clientIds' in wizard.target ? wizard.target.clientIds : []}
            onChange={changeWizard}
            onClose={() => setParams((current) => writeWizard(current, undefined))}
          />
        </Suspense>
      )}
    </>
  );
}
