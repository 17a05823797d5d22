import { Button, Group, ScrollArea, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { PendingEdit } from './requirement-edits.ts';

const listText = (audiences: readonly string[]) => JSON.stringify(audiences);

function nowText(edit: PendingEdit): string {
  if (edit.unreadable) return `${listText(edit.now)} (default; the attribute holds ${edit.unreadable})`;
  return `${listText(edit.now)}${edit.nowSource === 'default' ? ' (default)' : ''}`;
}

interface Props {
  pending: PendingEdit[];
  /** Why writing waits or is not possible (realm still read, roles); undefined when it can start. */
  writeBlocked: string | undefined;
  onDiscard: (clientId: string) => void;
  onDiscardAll: () => void;
  onWrite: () => void;
}

/** The edits that would change Keycloak, and the way to write them: the fix wizard's preview first. */
export function PendingEdits({ pending, writeBlocked, onDiscard, onDiscardAll, onWrite }: Props) {
  if (pending.length === 0) {
    return (
      <Text size="sm" aria-label="Pending requirements">
        No pending edits: every client requires what Keycloak holds.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <ScrollArea.Autosize mah={280} type="auto">
        <Table aria-label="Pending requirements" withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Requires now</Table.Th>
              <Table.Th>Once written</Table.Th>
              <Table.Th>
                <Text span size="sm" fw={600}>
                  Edit
                </Text>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pending.map((edit) => (
              <Table.Tr key={edit.clientId}>
                <Table.Td>{edit.clientId}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {nowText(edit)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {edit.next === null
                      ? `${listText([edit.clientId])} (default: the attribute is removed)`
                      : listText(edit.next)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" onClick={() => onDiscard(edit.clientId)}>
                    Discard the edit of {edit.clientId}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      <Group gap="sm">
        <Tooltip label={writeBlocked} disabled={!writeBlocked} multiline w={300}>
          <Button disabled={writeBlocked !== undefined} data-disabled-reason={writeBlocked} onClick={onWrite}>
            Write these requirements…
          </Button>
        </Tooltip>
        <Button variant="default" onClick={onDiscardAll}>
          Discard every edit
        </Button>
        <Text size="sm">
          {pending.length.toLocaleString('en')} client{pending.length === 1 ? '' : 's'} to write.{' '}
          {writeBlocked ?? 'The fix wizard previews every write (also as REST calls and a kcadm.sh script) first.'}
        </Text>
      </Group>
    </Stack>
  );
}
