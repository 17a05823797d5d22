import { Alert, Badge, Checkbox, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { REQUIRES_ATTRIBUTE, requirementsOf } from '../../audit/requirements.ts';
import type { RealmSnapshot } from '../../audit/snapshot.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import type { SkippedClient } from '../../remediation/types.ts';
import type { RequirementsProof } from '../../remediation/verify-requirements.ts';
import type { RequirementsChoices } from './wizard-url.ts';

const listText = (audiences: readonly string[]) => JSON.stringify(audiences);

/** The lists the run is to write, beside what each client requires now. */
export function RequirementsList({
  snapshot,
  requested,
  runId,
}: {
  snapshot: RealmSnapshot;
  requested: Record<string, string[] | null> | undefined;
  runId: string;
}) {
  if (!requested) {
    return (
      <Alert color="orange" title="The requirements of this run are not in this tab">
        Run {runId} was prepared in another tab, or this tab's storage was cleared, and it has not started: there is
        nothing to write. Close the wizard and choose "Write these requirements" again on the trust map.
      </Alert>
    );
  }
  const clients = new Map(snapshot.clients.map((client) => [client.clientId, client]));
  const entries = Object.entries(requested).sort(([left], [right]) => left.localeCompare(right));
  return (
    <Stack gap="xs">
      <Text size="sm">
        Each client's attribute {REQUIRES_ATTRIBUTE} is set to its list below (a JSON array), or taken away to go back
        to the default rule (its own clientId). Nothing else of the client changes.
      </Text>
      <ScrollArea.Autosize mah={320}>
        <Table aria-label="Requirements to write" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Requires now</Table.Th>
              <Table.Th>To write</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map(([clientId, next]) => {
              const client = clients.get(clientId);
              const now = client ? requirementsOf(client, undefined) : undefined;
              return (
                <Table.Tr key={clientId}>
                  <Table.Td>{clientId}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {now
                        ? `${listText(now.audiences)}${now.source === 'default' ? ' (default)' : ''}`
                        : 'no such client'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {next === null ? `${listText([clientId])} (default: attribute removed)` : listText(next)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/**
 * The two explicit choices, offered only when the plan without them leaves a client out for that reason:
 * an attribute that holds no list, or an audience that names no client and that no mapper adds.
 */
export function RequirementsOptions({
  choices,
  leftOut,
  onChange,
}: {
  choices: RequirementsChoices;
  /** What a plan without either choice leaves out. */
  leftOut: SkippedClient[];
  onChange: (choices: RequirementsChoices) => void;
}) {
  const unreadable = leftOut.filter((item) => item.code === 'requirements-unreadable');
  const unknown = leftOut.filter((item) => item.code === 'unknown-audience');
  if (unreadable.length === 0 && unknown.length === 0) {
    return (
      <Alert color="gray" variant="light">
        Nothing to choose: no attribute to be written over is unreadable, and every audience names a client of the realm
        or one that a mapper adds.
      </Alert>
    );
  }
  const names = (items: SkippedClient[]) => items.map((item) => item.clientId).join(', ');
  return (
    <Stack gap="sm">
      {unreadable.length > 0 && (
        <Checkbox
          checked={choices.replaceUnreadable}
          onChange={(event) => onChange({ ...choices, replaceUnreadable: event.currentTarget.checked })}
          label={`Write over attributes that hold no requirements list (${names(unreadable)})`}
          description="Left unchecked, these clients are left as they are. Undo puts the old text back."
        />
      )}
      {unknown.length > 0 && (
        <Checkbox
          checked={choices.acceptUnknownAudiences}
          onChange={(event) => onChange({ ...choices, acceptUnknownAudiences: event.currentTarget.checked })}
          label={`Accept audiences that name no client and that no mapper adds (${names(unknown)})`}
          description="A typo or a deleted client? Left unchecked, these clients are left as they are."
        />
      )}
    </Stack>
  );
}

/** After a requirements run: each attribute as Keycloak holds it now, and the verdict it gives. */
export function RequirementsVerifyResult({
  verification,
}: {
  verification: { isPending: boolean; error: Error | null; data: { proofs: RequirementsProof[] } | undefined };
}) {
  return (
    <>
      {verification.isPending && <Text size="sm">Reading the attributes back from Keycloak…</Text>}
      {verification.error && (
        <ErrorPanel title="Could not verify">
          <Text size="sm">{verification.error.message}</Text>
        </ErrorPanel>
      )}
      {verification.data && (
        <ScrollArea.Autosize mah={360}>
          <Table aria-label="Verification result" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Attribute in Keycloak now</Table.Th>
                <Table.Th>Verdict now</Table.Th>
                <Table.Th>Requirements</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {verification.data.proofs.map((proof) => (
                <Table.Tr key={`${proof.clientId} ${proof.attribute}`}>
                  <Table.Td>{proof.clientId}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={proof.now === proof.written ? 'green.9' : 'red.9'} fw={600}>
                      {proof.now === proof.written ? '✔ as written' : '✘ not as written'}
                    </Text>
                    <Text size="xs" ff="monospace">
                      {proof.now ?? 'absent (default rule)'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{proof.verdict ? <VerdictBadge verdict={proof.verdict} /> : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {proof.requirements.length === 0 && <Text size="sm">nothing required</Text>}
                      {proof.requirements.map((item) => (
                        <Badge key={item.audience} size="sm" tt="none" variant="light" title={item.reason}>
                          {item.audience}: {item.status}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </>
  );
}
