import {
  Autocomplete,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  ScrollArea,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ClientRep } from '../../audit/snapshot.ts';
import { type BulkOperation, bulkEdit, editedList, type RequirementEdits } from './requirement-edits.ts';

/** How many matching clients the list shows; "select all matching" reaches the rest. */
const SHOWN = 100;

const OPERATIONS: { value: BulkOperation['kind']; label: string }[] = [
  { value: 'add', label: 'Add an audience' },
  { value: 'remove', label: 'Remove an audience' },
  { value: 'set', label: 'Set the whole list' },
  { value: 'reset', label: 'Back to the default (own clientId)' },
];

interface Props {
  /** The clients that can be chosen: the map's rows. */
  clients: ClientRep[];
  /** Names offered while typing an audience. */
  suggestions: string[];
  edits: RequirementEdits;
  onChange: (edits: Map<string, string[] | null>) => void;
}

/** Several clients picked from a filtered list, and one change of their requirements for all of them. */
export function BulkEdit({ clients, suggestions, edits, onChange }: Props) {
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [kind, setKind] = useState<BulkOperation['kind']>('add');
  const [audience, setAudience] = useState('');
  const [audiences, setAudiences] = useState<string[]>([]);
  const [done, setDone] = useState('');

  const matching = useMemo(() => {
    const wanted = filter.trim().toLowerCase();
    return wanted === '' ? clients : clients.filter((client) => client.clientId.toLowerCase().includes(wanted));
  }, [clients, filter]);
  const chosen = clients.filter((client) => selected.has(client.clientId));
  const allMatching = matching.length > 0 && matching.every((client) => selected.has(client.clientId));
  const someMatching = matching.some((client) => selected.has(client.clientId));

  const toggle = (clientIds: string[], on: boolean) => {
    const next = new Set(selected);
    for (const clientId of clientIds) {
      if (on) next.add(clientId);
      else next.delete(clientId);
    }
    setSelected(next);
  };
  const operation: BulkOperation | undefined =
    kind === 'reset'
      ? { kind }
      : kind === 'set'
        ? { kind, audiences }
        : audience.trim() === ''
          ? undefined
          : { kind, audience: audience.trim() };
  const apply = () => {
    if (!operation || chosen.length === 0) return;
    const next = bulkEdit(edits, chosen, operation);
    onChange(next);
    const label = OPERATIONS.find((item) => item.value === kind)?.label ?? kind;
    setDone(
      `${label}: applied to ${chosen.length} client${chosen.length === 1 ? '' : 's'}; ${next.size} edit${next.size === 1 ? '' : 's'} pending.`,
    );
  };

  return (
    <Stack gap="sm">
      <Group align="end" gap="sm">
        <TextInput
          label="Filter clients"
          placeholder="part of a clientId"
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          w={240}
        />
        <Checkbox
          label={`Select all ${matching.length.toLocaleString('en')} matching`}
          checked={allMatching}
          indeterminate={someMatching && !allMatching}
          onChange={(event) =>
            toggle(
              matching.map((client) => client.clientId),
              event.currentTarget.checked,
            )
          }
          mb={8}
        />
        <Text size="sm" mb={8} aria-live="polite">
          {selected.size.toLocaleString('en')} selected
        </Text>
        {selected.size > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={() => setSelected(new Set())} mb={8}>
            Clear the selection
          </Button>
        )}
      </Group>
      <ScrollArea.Autosize mah={240} type="auto">
        <Stack gap={4} role="group" aria-label="Clients to change">
          {matching.slice(0, SHOWN).map((client) => (
            <Checkbox
              key={client.id}
              label={client.clientId}
              description={`requires ${JSON.stringify(editedList(client, edits))}${edits.has(client.clientId) ? ' (edited)' : ''}`}
              checked={selected.has(client.clientId)}
              onChange={(event) => toggle([client.clientId], event.currentTarget.checked)}
            />
          ))}
          {matching.length === 0 && <Text size="sm">No client matches.</Text>}
          {matching.length > SHOWN && (
            <Text size="xs" c="dimmed">
              The first {SHOWN} of {matching.length.toLocaleString('en')} matching clients are listed; "Select all
              matching" selects every one of them.
            </Text>
          )}
        </Stack>
      </ScrollArea.Autosize>
      <Group align="end" gap="sm">
        <NativeSelect
          label="Change"
          data={OPERATIONS}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as BulkOperation['kind'])}
          w={260}
        />
        {(kind === 'add' || kind === 'remove') && (
          <Autocomplete
            label="Audience"
            placeholder="clientId or custom audience"
            data={suggestions}
            limit={50}
            value={audience}
            onChange={setAudience}
            w={260}
          />
        )}
        {kind === 'set' && (
          <TagsInput
            label="The new list"
            placeholder="audience, then Enter (empty: nothing required)"
            data={suggestions}
            limit={50}
            value={audiences}
            onChange={setAudiences}
            clearable
            w={360}
          />
        )}
        <Button onClick={apply} disabled={!operation || chosen.length === 0}>
          Apply to {chosen.length.toLocaleString('en')} selected client{chosen.length === 1 ? '' : 's'}
        </Button>
      </Group>
      {done && (
        <Text size="sm" role="status">
          {done}
        </Text>
      )}
    </Stack>
  );
}
