import './styles.ts';
import { Alert, Badge, Button, Group, List, Modal, Progress, Stack, Stepper, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { whyCannotFix } from '../../keycloak/access.ts';
import { queryKeys, useRealmAccess, useRealmAudit } from '../../keycloak/queries.ts';
import { createRemediationApi } from '../../keycloak/remediation-api.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { newRunId, type RunProgress, type RunResult } from '../../remediation/execute.ts';
import { localJournalStore } from '../../remediation/journal.ts';
import { createRunSession } from '../../remediation/session.ts';
import type { Strategy } from '../../remediation/types.ts';
import { PreviewStep } from './PreviewStep.tsx';
import { CallerChoice, type OwnStrategy, StrategyChoice, StrategyOptions, strategyText } from './StrategyStep.tsx';

const STEP = { strategy: 0, options: 1, preview: 2, apply: 3, verify: 4, done: 5 } as const;

function RunReport({ result }: { result: RunResult }) {
  const color = result.status === 'applied' || result.status === 'nothing-to-do' ? 'green' : 'red';
  return (
    <Alert color={color} title={result.status === 'applied' ? 'Applied' : result.message}>
      {result.status === 'applied' && <Text size="sm">{result.message}</Text>}
      {result.rollback && result.rollback.undone.length > 0 && (
        <Text size="sm">Undone: {result.rollback.undone.join('; ')}.</Text>
      )}
      {result.rollback && result.rollback.left.length > 0 && (
        <Text size="sm" fw={600}>
          Still in Keycloak: {result.rollback.left.map((item) => `${item.what} (${item.reason})`).join('; ')}.
        </Text>
      )}
      {result.created.length > 0 && (
        <List size="sm" mt="xs" aria-label="Created objects">
          {result.created.map((item) => (
            <List.Item key={item.id}>
              {item.kind === 'client-scope' ? 'Client scope' : `Mapper on ${item.clientId}:`} "{item.name}" (id{' '}
              {item.id})
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

interface Props {
  realm: string;
  /** The clients to fix; for a cross-client run, the callers chosen so far. */
  clientIds: string[];
  /** Cross-client: the API client whose clientId the callers' tokens should carry. */
  audience?: string;
  onClose: () => void;
}

/** Strategy → options → preview → apply → verify → done, for one or a few clients. */
export function FixWizard({ realm, clientIds, audience, onClose }: Props) {
  const { admin, auth, config } = useSession();
  const queryClient = useQueryClient();
  const audited = useRealmAudit(realm);
  const access = useRealmAccess(realm);
  const [runId, setRunId] = useState(newRunId);
  const [active, setActive] = useState<number>(STEP.strategy);
  const [chosen, setChosen] = useState<OwnStrategy | undefined>();
  const [callers, setCallers] = useState<string[]>(audience ? clientIds : []);
  const targets = audience ? callers : clientIds;
  const [scopeNames, setScopeNames] = useState<Record<string, string>>({});
  const [sharedName, setSharedName] = useState('');
  const [consent, setConsent] = useState(false);
  const [progress, setProgress] = useState<RunProgress | undefined>();

  const data = audited.data;
  const session = useMemo(
    () =>
      createRunSession({
        api: createRemediationApi(admin),
        keycloakUrl: config.keycloakUrl,
        journal: localJournalStore(config.keycloakUrl, realm),
      }),
    [admin, config.keycloakUrl, realm],
  );
  const suggestion = useMemo(() => (data ? session.suggest(data, clientIds) : undefined), [data, session, clientIds]);
  const suggested = (suggestion?.strategy ?? 'dedicated-mapper') as OwnStrategy;
  const repairable = suggestion?.repairable ?? false;
  const strategy: Strategy = audience ? 'cross-client' : (chosen ?? suggested);
  const plan = useMemo(
    () =>
      data
        ? session.plan(data, {
            clientIds: targets,
            options: { strategy, runId, scopeNames, sharedScopeName: sharedName, audienceClientId: audience },
          })
        : undefined,
    [data, session, targets, strategy, runId, scopeNames, sharedName, audience],
  );
  const prediction = useMemo(() => (data && plan ? session.predict(data, plan) : undefined), [data, plan, session]);
  const predicted = prediction?.after ?? new Map();
  const holders = prediction?.holders;

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
      await queryClient.invalidateQueries({ queryKey: queryKeys.audit(realm) });
      if (result.status === 'applied' || result.status === 'nothing-to-do') setActive(STEP.verify);
    },
  });
  const result = apply.data;
  const fixedClients = result?.plan.fixes.length ? result.plan.fixes : (plan?.fixes ?? []);

  const verification = useQuery({
    queryKey: [...queryKeys.audit(realm), 'verify', runId],
    enabled: active >= STEP.verify && result !== undefined,
    queryFn: () =>
      session.verify(
        { realm, fixes: fixedClients, audience },
        auth.user.realm === realm && auth.user.id
          ? { id: auth.user.id, label: `you (${auth.user.username})` }
          : undefined,
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });

  const blocked = access.data ? whyCannotFix(access.data, realm) : undefined;
  const applyBlocked =
    !plan || plan.steps.length === 0 ? 'Nothing to apply.' : plan.requiresConsent && !consent ? 'Confirm first.' : '';
  const running = apply.isPending;
  // A run that did not apply is over: going back starts a new one, with a new id and journal.
  const backTo = (step: number) => {
    if (apply.data) {
      apply.reset();
      setRunId(newRunId());
      setProgress(undefined);
    }
    setActive(step);
  };

  return (
    <Modal
      opened
      onClose={running ? () => undefined : onClose}
      size="xl"
      title={
        audience
          ? `Fix: put ${audience} into other clients' tokens in realm ${realm}`
          : `Fix ${clientIds.length === 1 ? clientIds[0] : `${clientIds.length} clients`} in realm ${realm}`
      }
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
      ) : (
        <Stepper
          active={active}
          onStepClick={(step) => step < STEP.apply && active <= STEP.apply && !running && backTo(step)}
          size="sm"
          allowNextStepsSelect={false}
        >
          <Stepper.Step label={audience ? 'Callers' : 'Strategy'}>
            <Stack gap="md" mt="md">
              {audience ? (
                <CallerChoice
                  audience={audience}
                  candidates={data.audit.clients.filter((item) => !item.builtIn).map((item) => item.clientId)}
                  callers={callers}
                  onChange={setCallers}
                />
              ) : (
                <StrategyChoice strategy={strategy as OwnStrategy} onChange={setChosen} repairable={repairable} />
              )}
              <Group justify="flex-end">
                <Button onClick={() => setActive(STEP.options)}>Next</Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Options">
            <Stack gap="md" mt="md">
              {strategy !== 'cross-client' && <Text fw={600}>{strategyText[strategy].label}</Text>}
              <StrategyOptions
                audience={audience}
                strategy={strategy}
                clientIds={clientIds}
                scopeNames={scopeNames}
                onScopeName={(clientId, name) => setScopeNames((current) => ({ ...current, [clientId]: name }))}
                sharedName={sharedName}
                onSharedName={setSharedName}
              />
              <Group justify="space-between">
                <Button variant="default" onClick={() => setActive(STEP.strategy)}>
                  Back
                </Button>
                <Button onClick={() => setActive(STEP.preview)}>Preview</Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Preview">
            <Stack gap="md" mt="md">
              <PreviewStep
                plan={plan}
                holders={holders}
                predicted={predicted}
                keycloakUrl={config.keycloakUrl}
                consent={consent}
                onConsent={setConsent}
              />
              <Group justify="space-between">
                <Button variant="default" onClick={() => setActive(STEP.options)}>
                  Back
                </Button>
                <Button
                  onClick={() => {
                    setActive(STEP.apply);
                    apply.mutate();
                  }}
                  disabled={applyBlocked !== ''}
                  title={applyBlocked || undefined}
                >
                  Apply {plan.steps.length} change{plan.steps.length === 1 ? '' : 's'}
                </Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Apply">
            <Stack gap="md" mt="md" aria-label="Apply">
              {progress && (
                <Stack gap={4}>
                  <Progress
                    value={progress.total ? (100 * progress.done) / progress.total : 0}
                    color={progress.rollingBack ? 'orange' : undefined}
                    aria-label="Progress"
                    animated={running}
                  />
                  <Text size="sm" role="status">
                    {progress.rollingBack
                      ? `Rolling back — now: ${progress.current}`
                      : `${progress.done} of ${progress.total} written${progress.current ? ` — now: ${progress.current}` : ''}`}
                  </Text>
                </Stack>
              )}
              {running && (
                <Group justify="flex-end">
                  <Button
                    color="red"
                    variant="light"
                    onClick={() => cancel.current?.abort()}
                    disabled={progress?.rollingBack === true}
                  >
                    Cancel and roll back
                  </Button>
                </Group>
              )}
              {running && !progress && <Text size="sm">Reading the realm again before writing…</Text>}
              {apply.isError && (
                <ErrorPanel title="The run could not start">
                  <Text size="sm">{apply.error.message}</Text>
                </ErrorPanel>
              )}
              {result && <RunReport result={result} />}
              {result && result.status !== 'applied' && result.status !== 'nothing-to-do' && (
                <Group justify="flex-end">
                  <Button onClick={() => backTo(STEP.preview)}>Review the preview again</Button>
                </Group>
              )}
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Verify">
            <Stack gap="md" mt="md" aria-label="Verification">
              {result && <RunReport result={result} />}
              {verification.isPending && <Text size="sm">Auditing the realm again and generating tokens…</Text>}
              {verification.isError && (
                <ErrorPanel title="Could not verify">
                  <Text size="sm">{verification.error.message}</Text>
                </ErrorPanel>
              )}
              {verification.data && (
                <Table aria-label="Verification result" withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Client</Table.Th>
                      <Table.Th>Verdict now</Table.Th>
                      <Table.Th>Generated token</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {verification.data.proofs.map((proof) => (
                      <Table.Tr key={proof.clientId}>
                        <Table.Td>{proof.clientId}</Table.Td>
                        <Table.Td>{proof.verdict ? <VerdictBadge verdict={proof.verdict} /> : '—'}</Table.Td>
                        <Table.Td>
                          {proof.aud ? (
                            <Stack gap={2}>
                              <Text size="sm" c={proof.expectedInToken ? 'green.9' : 'red.9'} fw={600}>
                                {proof.expectedInToken
                                  ? `✔ ${proof.expected} is in aud`
                                  : `✘ ${proof.expected} is not in aud`}
                              </Text>
                              <Group gap={4}>
                                <Text size="xs">aud ({proof.user}):</Text>
                                {proof.aud.map((value) => (
                                  <Badge key={value} size="sm" tt="none" variant="light">
                                    {value}
                                  </Badge>
                                ))}
                              </Group>
                            </Stack>
                          ) : (
                            <Text size="sm">{proof.problem}</Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group justify="flex-end">
                <Button onClick={() => setActive(STEP.done)} disabled={verification.isPending}>
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
                  : audience
                    ? `The tokens of ${fixedClients.join(', ')} now carry ${audience} in aud.`
                    : `${fixedClients.join(', ')} now ${fixedClients.length === 1 ? 'gets its' : 'get their'} own clientId in aud.`}{' '}
                Tokens already issued keep their old aud until they are refreshed or the user signs in again.
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
