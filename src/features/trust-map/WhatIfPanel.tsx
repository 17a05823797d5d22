import '@mantine/core/styles/Tabs.css';
import { Button, Group, Paper, Select, Stack, Tabs, TagsInput, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ClientRep, RealmSnapshot } from '../../audit/snapshot.ts';
import { BulkEdit } from './BulkEdit.tsx';
import { PendingEdits } from './PendingEdits.tsx';
import { RequirementsFile } from './RequirementsFile.tsx';
import { editedList, pendingEdits, planRequirements, type RequirementEdits, withEdit } from './requirement-edits.ts';

interface Props {
  /** The realm as read: where every edit starts from. */
  snapshot: RealmSnapshot;
  /** The map's rows, as clients. */
  callers: ClientRep[];
  edits: RequirementEdits;
  onChange: (edits: Map<string, string[] | null>) => void;
  /** Why writing waits or is not possible; undefined when it can start. */
  writeBlocked: string | undefined;
  /** Opens the fix wizard on these lists (null: the attribute removed). */
  onWrite: (requirements: Record<string, string[] | null>) => void;
}

/** One client's list, edited by hand. */
function OneClient({
  callers,
  suggestions,
  edits,
  onChange,
}: Pick<Props, 'callers' | 'edits' | 'onChange'> & { suggestions: string[] }) {
  const [clientId, setClientId] = useState<string | null>(null);
  const client = callers.find((item) => item.clientId === clientId);
  const data = useMemo(() => callers.map((item) => item.clientId), [callers]);
  return (
    <Group align="end" gap="sm">
      <Select
        label="Client to edit"
        placeholder="clientId"
        searchable
        data={data}
        limit={50}
        value={clientId}
        onChange={setClientId}
        w={240}
      />
      <TagsInput
        label={client ? `Audiences the tokens of ${client.clientId} must carry` : 'Audiences its tokens must carry'}
        placeholder={client ? 'audience, then Enter' : 'choose a client first'}
        data={suggestions}
        limit={50}
        value={client ? editedList(client, edits) : []}
        onChange={(values) => client && onChange(withEdit(edits, client, values))}
        disabled={!client}
        clearable
        w={420}
      />
      {client && (
        <Button size="xs" variant="default" onClick={() => onChange(withEdit(edits, client, null))} mb={4}>
          Back to the default
        </Button>
      )}
      {client && edits.has(client.clientId) && (
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            const next = new Map(edits);
            next.delete(client.clientId);
            onChange(next);
          }}
          mb={4}
        >
          Undo the edit of {client.clientId}
        </Button>
      )}
    </Group>
  );
}

/**
 * Requirements edited in the page: by hand, in bulk, or from a file. The map shows them at once; nothing is
 * written to Keycloak until "Write these requirements" opens the fix wizard on them.
 */
export function WhatIfPanel({ snapshot, callers, edits, onChange, writeBlocked, onWrite }: Props) {
  const suggestions = useMemo(() => snapshot.clients.map((client) => client.clientId), [snapshot]);
  const pending = useMemo(() => pendingEdits(snapshot, edits), [snapshot, edits]);
  const discard = (clientId: string) => {
    const next = new Map(edits);
    next.delete(clientId);
    onChange(next);
  };
  return (
    <Paper withBorder p="sm" role="region" aria-label="What if">
      <Stack gap="sm">
        <Title order={3} size="h5">
          What if: edited requirements, not written yet
        </Title>
        <Text size="sm">
          Change what clients' tokens must carry and see the map recomputed. Nothing is written to Keycloak until you
          choose "Write these requirements", which previews every write first; fixes of cells are offered only outside
          this mode.
        </Text>
        <Tabs defaultValue="one">
          <Tabs.List>
            <Tabs.Tab value="one">One client</Tabs.Tab>
            <Tabs.Tab value="bulk">Several clients</Tabs.Tab>
            <Tabs.Tab value="file">Import / export</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="one" pt="sm">
            <OneClient callers={callers} suggestions={suggestions} edits={edits} onChange={onChange} />
          </Tabs.Panel>
          <Tabs.Panel value="bulk" pt="sm">
            <BulkEdit clients={callers} suggestions={suggestions} edits={edits} onChange={onChange} />
          </Tabs.Panel>
          <Tabs.Panel value="file" pt="sm">
            <RequirementsFile snapshot={snapshot} edits={edits} pending={pending.length} onChange={onChange} />
          </Tabs.Panel>
        </Tabs>
        <PendingEdits
          pending={pending}
          writeBlocked={writeBlocked}
          onDiscard={discard}
          onDiscardAll={() => onChange(new Map())}
          onWrite={() => onWrite(planRequirements(pending))}
        />
      </Stack>
    </Paper>
  );
}
