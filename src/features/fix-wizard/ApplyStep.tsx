import { Alert, Button, Group, List, Progress, Stack, Text } from '@mantine/core';
import { download } from '../../components/download.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import type { RunProgress, RunResult } from '../../remediation/execute.ts';
import type { RunJournal, RunState } from '../../remediation/journal.ts';
import { journalDownload } from '../../remediation/journal-store.ts';

export function RunReport({ result }: { result: RunResult }) {
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
      {result.unsaved && result.journal && (
        <Group mt="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => result.journal && download(journalDownload(result.journal))}
          >
            Download journal
          </Button>
        </Group>
      )}
    </Alert>
  );
}

const journalTitle: Record<RunState, string> = {
  running: 'This run was interrupted',
  interrupted: 'This run was interrupted',
  applied: 'Applied',
  'rolled-back': 'Failed, and rolled back',
  'partly-rolled-back': 'Failed, and not fully rolled back',
  undone: 'Applied, then undone',
  resumed: 'Interrupted, then resumed in a later run',
};

/** A run shown from its journal, after a reload: what it did, never anything it would do now. */
export function JournalReport({ journal }: { journal: RunJournal }) {
  const written = journal.steps.filter((step) => step.status === 'written').length;
  const ok = journal.state === 'applied';
  return (
    <Alert color={ok ? 'green' : journal.state === 'undone' ? 'gray' : 'orange'} title={journalTitle[journal.state]}>
      <Text size="sm">
        Run {journal.runId}: {written} of {journal.steps.length} write{journal.steps.length === 1 ? '' : 's'} in
        Keycloak for {journal.fixes.join(', ')}.
      </Text>
      {journal.message && <Text size="sm">{journal.message}</Text>}
      {(journal.state === 'running' || journal.state === 'interrupted') && (
        <Text size="sm" fw={600}>
          It stopped when the page was left, and nothing is written again from here. Close this wizard to roll it back
          or resume it from the banner above the table.
        </Text>
      )}
    </Alert>
  );
}

interface Props {
  running: boolean;
  progress: RunProgress | undefined;
  result: RunResult | undefined;
  /** The run's journal, when this page is not the one applying it (a reload, a shared link). */
  journal: RunJournal | undefined;
  startError: Error | null;
  onCancel: () => void;
  onReview: () => void;
}

export function ApplyStep({ running, progress, result, journal, startError, onCancel, onReview }: Props) {
  const live = running || result !== undefined || startError !== null;
  return (
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
          <Button color="red" variant="light" onClick={onCancel} disabled={progress?.rollingBack === true}>
            Cancel and roll back
          </Button>
        </Group>
      )}
      {running && !progress && <Text size="sm">Reading the realm again before writing…</Text>}
      {startError && (
        <ErrorPanel title="The run could not start">
          <Text size="sm">{startError.message}</Text>
        </ErrorPanel>
      )}
      {result && <RunReport result={result} />}
      {!live && journal && <JournalReport journal={journal} />}
      {!live && !journal && (
        <Alert color="gray" title="No such run in this browser">
          Nothing was written from here. Review the preview to apply it.
        </Alert>
      )}
      {((result && result.status !== 'applied' && result.status !== 'nothing-to-do') || (!live && !journal)) && (
        <Group justify="flex-end">
          <Button onClick={onReview}>Review the preview again</Button>
        </Group>
      )}
    </Stack>
  );
}
