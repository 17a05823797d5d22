import './styles.ts';
import { Alert, Button, Group, Modal, Stack, Stepper, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { whyCannotFix } from '../../keycloak/access.ts';
import { queryKeys, useRealmAccess, useRealmAudit } from '../../keycloak/queries.ts';
import { createRemediationApi } from '../../keycloak/remediation-api.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import type { RunProgress } from '../../remediation/execute.ts';
import { localJournalStore } from '../../remediation/journal-store.ts';
import { newRunId } from '../../remediation/run-id.ts';
import { createRunSession } from '../../remediation/session.ts';
import type { PlanOptions } from '../../remediation/types.ts';
import { ApplyStep } from './ApplyStep.tsx';
import { planOfJournal } from './journal-plan.ts';
import { NoRoomAlert } from './NoRoomAlert.tsx';
import { PreviewStep } from './PreviewStep.tsx';
import { RequirementsList, RequirementsOptions, RequirementsVerifyResult } from './RequirementsStep.tsx';
import { loadRequirementsDraft, saveRequirementsDraft } from './requirements-draft.ts';
import { CallerChoice, StrategyChoice, StrategyOptions, strategyText } from './StrategyStep.tsx';
import { VerifyResult } from './VerifyStep.tsx';
import { planFingerprint, WIZARD_STEPS, type WizardStep, type WizardUrl } from './wizard-url.ts';

const STEP_INDEX = (step: WizardStep) => WIZARD_STEPS.indexOf(step);

interface Props {
  realm: string;
  /** The wizard as the URL holds it. */
  wizard: WizardUrl;
  /** The clients it is for now: the named ones, or those the table's filter matches. */
  clientIds: string[];
  /** A new step pushes a history entry (so Back steps back); typing options replaces the current one. */
  onChange: (wizard: WizardUrl, replace?: boolean) => void;
  onClose: () => void;
  /** Requirements mode: the clients whose attribute a run has just written. */
  onRequirementsWritten?: (clientIds: string[]) => void;
}

/**
 * Strategy → options → preview → apply → verify → done. The URL holds the step and the run id: a reload
 * before apply plans again and says if the plan changed; after apply the run is shown from its journal
 * and nothing is written again.
 */
export function FixWizard({ realm, wizard, clientIds: targetIds, onChange, onClose, onRequirementsWritten }: Props) {
  const { admin, auth, config } = useSession();
  const queryClient = useQueryClient();
  const audited = useRealmAudit(realm);
  const access = useRealmAccess(realm);
  const { audience, runId, step } = wizard;
  const custom = audience !== undefined && wizard.customAudience === true;
  /** How the texts name what the callers' tokens are to carry. */
  const audienceLabel = custom ? `custom audience ${audience}` : audience;
  const [consent, setConsent] = useState(false);
  const [progress, setProgress] = useState<RunProgress | undefined>();
  // The fingerprint the URL held when the wizard opened: a reload at the preview compares against it.
  const [shownBeforeReload, setShownBeforeReload] = useState(wizard.planned);
  const go = (next: Partial<WizardUrl>, replace = false) => {
    if (!replace) setShownBeforeReload(undefined);
    onChange({ ...wizard, ...next }, replace);
  };

  const store = useMemo(() => localJournalStore(config.keycloakUrl, realm), [config.keycloakUrl, realm]);
  const session = useMemo(
    () => createRunSession({ api: createRemediationApi(admin), keycloakUrl: config.keycloakUrl, journal: store }),
    [admin, config.keycloakUrl, store],
  );
  const journals = useQuery({
    queryKey: queryKeys.runs(realm),
    queryFn: () => store.list(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const journal = journals.data?.find((item) => item.runId === runId);

  // Requirements mode: the lists are the run's draft in this tab, or, once the run started, its journal's request.
  const choices = wizard.requirements;
  const requirementsMode = choices !== undefined;
  const draft = useMemo(() => (requirementsMode ? loadRequirementsDraft(runId) : undefined), [requirementsMode, runId]);
  const requested = requirementsMode ? (draft?.requirements ?? journal?.request.options.requirements) : undefined;
  const requestedIds = useMemo(() => Object.keys(requested ?? {}), [requested]);
  const clientIds = requirementsMode ? requestedIds : targetIds;

  const data = audited.data;
  const suggestion = useMemo(
    () => (data && !requirementsMode && !audience ? session.suggest(data, clientIds) : undefined),
    [data, session, clientIds, requirementsMode, audience],
  );
  const ownStrategy = wizard.strategy ?? suggestion?.strategy;
  const strategy = requirementsMode ? 'requirements' : audience ? 'cross-client' : (ownStrategy ?? 'dedicated-mapper');
  const replaceUnreadable = choices?.replaceUnreadable === true;
  const acceptUnknownAudiences = choices?.acceptUnknownAudiences === true;
  const plan = useMemo(() => {
    if (!data) return undefined;
    const options: PlanOptions = requirementsMode
      ? { strategy, runId, requirements: requested ?? {}, replaceUnreadable, acceptUnknownAudiences }
      : {
          strategy,
          runId,
          scopeNames: wizard.scopeNames,
          sharedScopeName: wizard.sharedName,
          ...(custom ? { customAudience: audience } : { audienceClientId: audience }),
        };
    return session.plan(data, { clientIds, options });
  }, [
    data,
    session,
    clientIds,
    strategy,
    runId,
    wizard.scopeNames,
    wizard.sharedName,
    audience,
    custom,
    requirementsMode,
    requested,
    replaceUnreadable,
    acceptUnknownAudiences,
  ]);
  // What a plan without either explicit choice leaves out: the choices are offered only for those clients.
  const leftOutWithoutChoices = useMemo(
    () =>
      data && requirementsMode && requested
        ? session.plan(data, { clientIds, options: { strategy: 'requirements', runId, requirements: requested } })
            .skipped
        : [],
    [data, session, clientIds, runId, requirementsMode, requested],
  );
  const prediction = useMemo(() => (data && plan ? session.predict(data, plan) : undefined), [data, plan, session]);
  const fingerprint = plan ? planFingerprint(plan) : undefined;
  // Asked again whenever the journals change (a run saved, old journals cleared).
  const room = useQuery({
    queryKey: [...queryKeys.runs(realm), 'room', fingerprint],
    queryFn: () => (plan ? store.room(plan) : null),
    enabled: plan !== undefined && step === 'preview',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const noRoom = room.data && !room.data.fits ? room.data : undefined;

  const cancel = useRef<AbortController | undefined>(undefined);
  const apply = useMutation({
    mutationFn: async () => {
      if (!plan) throw new Error('The realm is still loading.');
      cancel.current = new AbortController();
      await auth.refreshForRun();
      return session.apply(plan, { consent, onProgress: setProgress, signal: cancel.current.signal });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.runs(realm) }),
    onSuccess: async (result) => {
      if (requirementsMode && (result.status === 'applied' || result.status === 'nothing-to-do')) {
        // Written: no longer pending in the page behind, even after a reload of this tab.
        if (requested) saveRequirementsDraft(runId, { realm, requirements: requested, written: result.plan.fixes });
        onRequirementsWritten?.(result.plan.fixes);
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.audit(realm) });
      if (result.status === 'applied' || result.status === 'nothing-to-do') go({ step: 'verify' });
    },
  });
  const result = apply.data;
  const running = apply.isPending;
  // Started here, or in an earlier page whose journal is kept: either way this run id is spent.
  const runStarted = running || result !== undefined || journal !== undefined;
  const appliedRun =
    result?.status === 'applied' || result?.status === 'nothing-to-do' || (!result && journal?.state === 'applied');
  const fixedClients = result ? result.plan.fixes : (journal?.fixes ?? []);

  // The preview's fingerprint goes into the URL, so that a reload can tell whether the plan changed.
  useEffect(() => {
    if (step === 'preview' && !runStarted && fingerprint && fingerprint !== wizard.planned) {
      onChange({ ...wizard, planned: fingerprint }, true);
    }
  }, [step, runStarted, fingerprint, wizard, onChange]);

  const verifying = STEP_INDEX(step) >= STEP_INDEX('verify') && appliedRun && !running;
  const verification = useQuery({
    queryKey: [...queryKeys.audit(realm), 'verify', runId],
    enabled: verifying && !requirementsMode,
    queryFn: () =>
      session.verify(
        { realm, fixes: fixedClients, audience },
        auth.user.realm === realm && auth.user.id
          ? { id: auth.user.id, label: `you (${auth.user.username})` }
          : undefined,
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
  // Requirements: each attribute read back from Keycloak, from the plan applied here or the run's journal.
  const appliedPlan = result?.plan ?? (journal ? planOfJournal(journal) : undefined);
  const requirementsCheck = useQuery({
    queryKey: [...queryKeys.audit(realm), 'verify-requirements', runId],
    enabled: verifying && requirementsMode && appliedPlan !== undefined,
    queryFn: () => (appliedPlan ? session.verifyRequirements(appliedPlan) : Promise.reject(new Error('No run.'))),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const checkPending = requirementsMode ? requirementsCheck.isPending : verification.isPending;

  const blocked = access.data ? whyCannotFix(access.data, realm) : undefined;
  // A requirements plan is made on the whole realm: it waits until every client is read (a run once started does not).
  const waitsForRead = requirementsMode && data?.reading !== undefined && !runStarted;
  const applyBlocked =
    !plan || plan.steps.length === 0
      ? 'Nothing to apply.'
      : noRoom
        ? 'Its journal would not fit in this browser.'
        : plan.requiresConsent && !consent
          ? 'Confirm first.'
          : '';
  // A run that did not apply is over: going back to the preview starts a new one, with a new id and journal.
  const startOver = (at: WizardStep) => {
    apply.reset();
    setProgress(undefined);
    setConsent(false);
    const next = newRunId();
    if (requirementsMode && requested) saveRequirementsDraft(next, { realm, requirements: requested, written: [] });
    go({ step: at, runId: next, planned: undefined });
  };
  const title = requirementsMode
    ? `Fix: write the requirements of ${clientIds.length === 1 ? clientIds[0] : `${clientIds.length} clients`} in realm ${realm}`
    : audience
      ? `Fix: put ${audienceLabel} into other clients' tokens in realm ${realm}`
      : `Fix ${clientIds.length === 1 ? clientIds[0] : `${clientIds.length} clients`} in realm ${realm}`;

  return (
    <Modal
      opened
      onClose={running ? () => undefined : onClose}
      size="xl"
      title={title}
      closeButtonProps={{ 'aria-label': 'Close the fix wizard', disabled: running }}
      closeOnClickOutside={!running}
      closeOnEscape={!running}
    >
      {blocked ? (
        <Alert color="gray" title="Read-only">
          {blocked}
        </Alert>
      ) : audited.isError ? (
        <ErrorPanel title="The realm could not be read">
          <Text size="sm">{audited.error.message}</Text>
        </ErrorPanel>
      ) : !plan || !data ? (
        <Text size="sm">Reading the realm…</Text>
      ) : waitsForRead ? (
        <Text size="sm" role="status">
          Reading the realm: {data.snapshot.clients.length.toLocaleString('en')} clients read so far. The requirements
          are planned once every client is read.
        </Text>
      ) : (
        <Stepper
          active={STEP_INDEX(step)}
          onStepClick={(index) => {
            const target = WIZARD_STEPS[index];
            if (target && index < STEP_INDEX('apply') && !runStarted) go({ step: target });
          }}
          size="sm"
          allowNextStepsSelect={false}
        >
          <Stepper.Step label={requirementsMode ? 'Requirements' : audience ? 'Callers' : 'Strategy'}>
            <Stack gap="md" mt="md">
              {requirementsMode ? (
                <RequirementsList snapshot={data.snapshot} requested={requested} runId={runId} />
              ) : audience ? (
                <CallerChoice
                  audience={audience}
                  custom={custom}
                  candidates={data.audit.clients.filter((item) => !item.builtIn).map((item) => item.clientId)}
                  callers={clientIds}
                  onChange={(callers) => go({ target: { clientIds: callers } }, true)}
                />
              ) : (
                <StrategyChoice
                  strategy={ownStrategy ?? 'dedicated-mapper'}
                  onChange={(chosen) => go({ strategy: chosen }, true)}
                  repairable={suggestion?.repairable ?? false}
                />
              )}
              <Group justify="flex-end">
                <Button onClick={() => go({ step: 'options' })}>Next</Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Options">
            <Stack gap="md" mt="md">
              {choices ? (
                <RequirementsOptions
                  choices={choices}
                  leftOut={leftOutWithoutChoices}
                  onChange={(next) => go({ requirements: next }, true)}
                />
              ) : (
                <>
                  {strategy !== 'cross-client' && strategy !== 'requirements' && (
                    <Text fw={600}>{strategyText[strategy].label}</Text>
                  )}
                  <StrategyOptions
                    audience={audience}
                    custom={custom}
                    strategy={strategy}
                    clientIds={clientIds}
                    scopeNames={wizard.scopeNames}
                    onScopeName={(clientId, name) =>
                      go({ scopeNames: { ...wizard.scopeNames, [clientId]: name } }, true)
                    }
                    sharedName={wizard.sharedName}
                    onSharedName={(name) => go({ sharedName: name }, true)}
                  />
                </>
              )}
              <Group justify="space-between">
                <Button variant="default" onClick={() => go({ step: 'strategy' })}>
                  Back
                </Button>
                <Button onClick={() => go({ step: 'preview' })}>Preview</Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Preview">
            <Stack gap="md" mt="md">
              {runStarted && !running ? (
                <Alert color="blue" title={`This preview became run ${runId}`}>
                  Going back does not undo it (use Recent runs for that). Start a new fix to change more.
                </Alert>
              ) : (
                shownBeforeReload !== undefined &&
                shownBeforeReload !== fingerprint && (
                  <Alert color="yellow" title="The plan changed since this preview was shown">
                    Keycloak was read again and what is planned below differs from the preview you saw: review it before
                    applying.
                  </Alert>
                )
              )}
              {noRoom && !runStarted && (
                <NoRoomAlert realm={realm} room={noRoom} journals={journals.data ?? []} store={store} />
              )}
              <PreviewStep
                plan={plan}
                holders={prediction?.holders}
                predicted={prediction?.after ?? new Map()}
                keycloakUrl={config.keycloakUrl}
                consent={consent}
                onConsent={setConsent}
              />
              <Group justify="space-between">
                <Button variant="default" onClick={() => go({ step: 'options' })} disabled={runStarted}>
                  Back
                </Button>
                {runStarted && !running ? (
                  <Button onClick={() => startOver('strategy')}>Start a new fix</Button>
                ) : (
                  <Button
                    onClick={() => {
                      go({ step: 'apply' });
                      apply.mutate();
                    }}
                    disabled={applyBlocked !== ''}
                    title={applyBlocked || undefined}
                  >
                    Apply {plan.steps.length} change{plan.steps.length === 1 ? '' : 's'}
                  </Button>
                )}
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Apply">
            <ApplyStep
              running={running}
              progress={progress}
              result={result}
              journal={journal}
              startError={apply.error}
              onCancel={() => cancel.current?.abort()}
              onReview={() => startOver('preview')}
            />
          </Stepper.Step>
          <Stepper.Step label="Verify">
            <Stack gap="md" mt="md" aria-label="Verification">
              {!appliedRun && !running ? (
                <Alert color="gray" title="Nothing to verify">
                  Run {runId} did not apply: see the Apply step.
                </Alert>
              ) : requirementsMode ? (
                <RequirementsVerifyResult verification={requirementsCheck} />
              ) : (
                <VerifyResult verification={verification} />
              )}
              <Group justify="flex-end">
                <Button onClick={() => go({ step: 'done' })} disabled={checkPending && appliedRun}>
                  Finish
                </Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Completed>
            <Stack gap="md" mt="md" aria-label="Done">
              <Alert color="green" title="Done">
                {fixedClients.length === 0
                  ? 'Nothing needed to change.'
                  : requirementsMode
                    ? `The requirements of ${fixedClients.join(', ')} are written, and their verdicts follow them now. Their tokens do not change: a requirement that is not met stays red on the trust map until its audience is added.`
                    : audience
                      ? `The tokens of ${fixedClients.join(', ')} now carry ${audienceLabel} in aud.`
                      : `${fixedClients.join(', ')} now ${fixedClients.length === 1 ? 'gets its' : 'get their'} own clientId in aud.`}
                {!requirementsMode &&
                  ' Tokens already issued keep their old aud until they are refreshed or the user signs in again.'}
              </Alert>
              <Group justify="flex-end">
                <Button onClick={onClose}>Close</Button>
              </Group>
            </Stack>
          </Stepper.Completed>
        </Stepper>
      )}
    </Modal>
  );
}
