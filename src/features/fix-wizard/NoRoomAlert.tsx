import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { download } from '../../components/download.ts';
import { queryKeys } from '../../keycloak/queries.ts';
import { activeRuns } from '../../remediation/active-runs.ts';
import type { JournalRoom, JournalStore, RunJournal } from '../../remediation/journal.ts';
import { roomProblem } from '../../remediation/journal-size.ts';
import { clearableJournals, clearQuestion, journalDownload, removeJournals } from '../../remediation/journal-store.ts';

interface Props {
  realm: string;
  room: JournalRoom;
  journals: RunJournal[];
  store: JournalStore;
}

/**
 * The refusal of a run whose journal would not fit, with the ways out at hand. Clearing asks first, in the
 * alert itself (the wizard is a dialog already), and offers the journals' download before.
 */
export function NoRoomAlert({ realm, room, journals, store }: Props) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const finished = clearableJournals(journals, activeRuns());
  const question = finished.length > 0 ? clearQuestion(finished, realm) : undefined;
  const downloadAll = () => {
    for (const journal of finished) download(journalDownload(journal));
  };
  const clear = async () => {
    setAsking(false);
    setProblem(removeJournals(store, finished));
    // The room is asked again with the journals.
    await queryClient.invalidateQueries({ queryKey: queryKeys.runs(realm) });
  };
  return (
    <Alert color="red" title="This run's journal would not fit in this browser">
      <Stack gap="xs">
        <Text size="sm">{roomProblem(room)}</Text>
        <Text size="sm">
          Every write is journaled in this browser before it is sent, so that the run can be rolled back after an
          interruption: a run starts only if its whole journal fits. Journals of other realms are cleared from their own
          realm's Recent runs.
        </Text>
        {problem && (
          <Text size="sm" c="red">
            {problem}
          </Text>
        )}
        {question && !asking && (
          <Group>
            <Button size="xs" variant="default" onClick={() => setAsking(true)}>
              Download and clear finished runs…
            </Button>
          </Group>
        )}
        {question && asking && (
          <Stack gap="xs" role="group" aria-label={question.title}>
            <Text size="sm" fw={600}>
              {question.title}
            </Text>
            <Text size="sm">{question.text}</Text>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={downloadAll}>
                {question.downloadLabel}
              </Button>
              <Button size="xs" variant="default" onClick={() => setAsking(false)}>
                Cancel
              </Button>
              <Button size="xs" color="red" onClick={clear}>
                {question.confirmLabel}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Alert>
  );
}
