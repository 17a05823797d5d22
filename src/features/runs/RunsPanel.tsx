import { Alert, Badge, Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type ConfirmationOptions, useConfirmation } from '../../components/Confirmation.tsx';
import { download } from '../../components/download.ts';
import { queryKeys } from '../../keycloak/queries.ts';
import { createRemediationApi } from '../../keycloak/remediation-api.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { type RunJournal, type RunState, stepsToUndo } from '../../remediation/journal.ts';
import { journalDownload, localJournalStore } from '../../remediation/journal-store.ts';
import { createRunSession } from '../../remediation/session.ts';
import { clearable, usageText, useJournalClearing } from './JournalSpace.tsx';
import { useRunJournals } from './use-run-journals.ts';

const stateText: Record<RunState, string> = {
  running: 'running',
  applied: 'applied',
  'rolled-back': 'rolled back',
  'partly-rolled-back': 'partly rolled back',
  undone: 'undone',
  interrupted: 'interrupted',
  resumed: 'resumed in a later run',
};

/** The actions on one run: undo a finished one, roll back or resume an interrupted one. */
function useRunActions(realm: string) {
  const { admin, auth, config } = useSession();
  const queryClient = useQueryClient();
  const session = useMemo(
    () =>
      createRunSession({
        api: createRemediationApi(admin),
        keycloakUrl: config.keycloakUrl,
        journal: localJournalStore(config.keycloakUrl, realm),
      }),
    [admin, config.keycloakUrl, realm],
  );
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.runs(realm) });
    await queryClient.invalidateQueries({ queryKey: queryKeys.audit(realm) });
  };
  const undo = useMutation({ mutationFn: (journal: RunJournal) => session.undo(journal), onSettled: done });
  const resume = useMutation({
    mutationFn: async (journal: RunJournal) => {
      await auth.refreshForRun();
      return session.resume(journal);
    },
    onSettled: done,
  });
  const { ask, dialog } = useConfirmation();
  const askThenUndo = async (journal: RunJournal, action: 'Undo this run' | 'Roll back') => {
    if (await ask(undoQuestion(journal, action))) undo.mutate(journal);
  };
  return { undo, resume, askThenUndo, dialog };
}

/** Only a user-started undo or roll-back asks first; the automatic rollback after a failure or a cancel never waits. */
function undoQuestion(journal: RunJournal, action: 'Undo this run' | 'Roll back'): ConfirmationOptions {
  const writes = stepsToUndo(journal).length;
  return {
    title: `${action}?`,
    message: `Run ${journal.runId} in realm ${journal.realm}: ${writes} write${writes === 1 ? '' : 's'} for ${journal.fixes.join(', ')} are put back as they were. Keycloak is read first, and nothing is written if something of the run was changed since.`,
    confirmLabel: action,
    danger: true,
  };
}

/** Shown above the table when a run of this realm stopped half way (page closed, session ended). */
export function InterruptedRuns({ realm }: { realm: string }) {
  const { interrupted } = useRunJournals(realm);
  const { undo, resume, askThenUndo, dialog } = useRunActions(realm);
  const outcome = undo.data?.message ?? resume.data?.message;
  if (interrupted.length === 0 && !outcome) return null;
  return (
    <Stack gap="xs">
      {dialog}
      {interrupted.map((journal) => {
        const written = journal.steps.filter((step) => step.status === 'written' || step.status === 'writing');
        return (
          <Alert key={journal.runId} color="orange" title={`Fix run ${journal.runId} was interrupted`}>
            <Text size="sm">
              It stopped after {written.length} of {journal.steps.length} writes for {journal.fixes.join(', ')}. Roll
              back what it wrote, or resume it from where it stopped.
            </Text>
            <Group gap="xs" mt="xs">
              <Button
                size="xs"
                color="orange"
                loading={undo.isPending}
                onClick={() => askThenUndo(journal, 'Roll back')}
              >
                Roll back
              </Button>
              <Button size="xs" variant="default" loading={resume.isPending} onClick={() => resume.mutate(journal)}>
                Resume
              </Button>
            </Group>
          </Alert>
        );
      })}
      {outcome && (
        <Alert color={undo.data?.status === 'refused' ? 'red' : 'green'} title="Interrupted run">
          {outcome}
        </Alert>
      )}
    </Stack>
  );
}

/** Recent runs of this realm, newest first, with undo. */
export function RunsDrawer({ realm, opened, onClose }: { realm: string; opened: boolean; onClose: () => void }) {
  const { config } = useSession();
  const { journals } = useRunJournals(realm);
  const { undo, askThenUndo, dialog } = useRunActions(realm);
  const clearing = useJournalClearing(realm);
  const usage = useQuery({
    queryKey: [...queryKeys.runs(realm), 'usage'],
    queryFn: () => localJournalStore(config.keycloakUrl, realm).usage(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const finished = new Set(clearable(journals).map((journal) => journal.runId));
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title="Recent fix runs"
      closeButtonProps={{ 'aria-label': 'Close recent runs' }}
    >
      {dialog}
      {clearing.dialog}
      <Stack gap="sm" aria-label="Recent fix runs">
        {journals.length === 0 && <Text size="sm">No fix runs in realm {realm} from this browser yet.</Text>}
        {usage.data && (
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="xs" c="dimmed" aria-label="Journal storage">
              {usageText(realm, usage.data)} Journals are kept until you clear them; a run that has not finished cannot
              be cleared.
            </Text>
            {finished.size > 0 && (
              <Button size="xs" variant="default" onClick={() => clearing.askClearFinished(journals)}>
                Clear finished runs…
              </Button>
            )}
          </Group>
        )}
        {clearing.problem && (
          <Alert color="red" title="Not cleared">
            {clearing.problem}
          </Alert>
        )}
        {undo.data && (
          <Alert color={undo.data.status === 'refused' ? 'red' : 'green'} title="Undo">
            {undo.data.message}
          </Alert>
        )}
        {undo.isError && (
          <Alert color="red" title="Undo failed">
            {undo.error.message}
          </Alert>
        )}
        {journals.map((journal) => (
          <Stack key={journal.runId} gap={4} aria-label={`Run ${journal.runId}`}>
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                {new Date(journal.startedAt).toLocaleString()} · {journal.strategy}
              </Text>
              <Badge variant="light" tt="none">
                {stateText[journal.state]}
              </Badge>
            </Group>
            <Text size="sm">
              {journal.fixes.join(', ')} · {journal.steps.length} step{journal.steps.length === 1 ? '' : 's'} · run{' '}
              {journal.runId}
            </Text>
            {journal.message && (
              <Text size="xs" c="dimmed">
                {journal.message}
              </Text>
            )}
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" onClick={() => download(journalDownload(journal))}>
                Download journal
              </Button>
              {finished.has(journal.runId) && (
                <Button size="xs" variant="subtle" color="red" onClick={() => clearing.askClearOne(journal)}>
                  Clear…
                </Button>
              )}
              {(journal.state === 'applied' ||
                journal.state === 'resumed' ||
                journal.state === 'partly-rolled-back') && (
                <Button
                  size="xs"
                  variant="light"
                  loading={undo.isPending}
                  onClick={() => askThenUndo(journal, 'Undo this run')}
                >
                  Undo this run
                </Button>
              )}
            </Group>
          </Stack>
        ))}
      </Stack>
    </Drawer>
  );
}
