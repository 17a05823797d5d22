import { Alert, Button, Checkbox, FileButton, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { REQUIRES_ATTRIBUTE } from '../../audit/requirements.ts';
import type { RealmSnapshot } from '../../audit/snapshot.ts';
import { download } from '../../components/download.ts';
import type { RequirementEdits } from './requirement-edits.ts';
import { type ExportScope, exportRequirements, importRequirements, requirementsFileText } from './requirements-file.ts';

/** Larger than any realm's requirements: a file this big is the wrong file. */
const MAX_FILE_BYTES = 5_000_000;

const EXAMPLE = '{"spa": ["orders-api"], "batch": []}';

/** Up to 20 names, then how many more. */
function names(items: string[]): string {
  const shown = items.slice(0, 20).join(', ');
  return items.length > 20 ? `${shown} and ${items.length - 20} more` : shown;
}

type Outcome =
  | { kind: 'refused'; file: string; why: string }
  | { kind: 'imported'; file: string; changed: string[]; unchanged: string[]; unknown: string[] }
  | { kind: 'exported'; leftOut: { clientId: string; why: string }[] };

interface Props {
  snapshot: RealmSnapshot;
  edits: RequirementEdits;
  pending: number;
  onChange: (edits: Map<string, string[] | null>) => void;
}

/** The requirements as the CLI's `--requirements` file: exported from the realm, imported as pending edits. */
export function RequirementsFile({ snapshot, edits, pending, onChange }: Props) {
  const [withEdits, setWithEdits] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const realm = snapshot.realm;

  const save = (scope: ExportScope) => {
    const exported = exportRequirements(snapshot, scope, withEdits && pending > 0 ? edits : undefined);
    const stamp = new Date().toISOString().slice(0, 10);
    download({
      fileName: `audience-doctor-requirements-${realm}-${scope}-${stamp}.json`,
      type: 'application/json',
      content: requirementsFileText(exported.requirements),
    });
    setOutcome({ kind: 'exported', leftOut: exported.leftOut });
  };

  const load = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setOutcome({ kind: 'refused', file: file.name, why: `it is ${file.size.toLocaleString('en')} bytes, too large` });
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setOutcome({ kind: 'refused', file: file.name, why: `it could not be read (${String(error)})` });
      return;
    }
    const result = importRequirements(snapshot, edits, text);
    if (!result.ok) {
      setOutcome({ kind: 'refused', file: file.name, why: result.why });
      return;
    }
    onChange(result.edits);
    setOutcome({
      kind: 'imported',
      file: file.name,
      changed: result.changed,
      unchanged: result.unchanged,
      unknown: result.unknown,
    });
  };

  return (
    <Stack gap="sm">
      <Text size="sm">
        The file is what <code>audience-doctor fix --strategy requirements --requirements FILE</code> reads: a JSON
        object of clientId → array of audiences, such as <code>{EXAMPLE}</code>. <b>Stated</b> holds each client (not
        built-in) whose attribute {REQUIRES_ATTRIBUTE} states its requirements, with that list. <b>Effective</b> holds
        every client (not built-in) with the list it is judged by, its own clientId for those that state nothing:
        writing that file back pins the default as an attribute.
      </Text>
      <Group gap="sm" align="center">
        <Button size="xs" variant="default" onClick={() => save('stated')}>
          Export stated requirements
        </Button>
        <Button size="xs" variant="default" onClick={() => save('effective')}>
          Export effective requirements
        </Button>
        {pending > 0 && (
          <Checkbox
            label="With the pending edits (a client set back to the default is null in a stated file)"
            checked={withEdits}
            onChange={(event) => setWithEdits(event.currentTarget.checked)}
          />
        )}
      </Group>
      <Group gap="sm" align="center">
        <FileButton onChange={load} accept="application/json,.json">
          {(props) => (
            <Button size="xs" {...props}>
              Import a requirements file…
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          Each entry of the file becomes a pending edit of its client; other edits stay. Nothing is written to Keycloak
          until you choose "Write these requirements".
        </Text>
      </Group>
      {outcome?.kind === 'refused' && (
        <Alert color="red" title="Not imported">
          <Text size="sm">
            {outcome.file}: {outcome.why}. Nothing was changed. Expected a JSON object of clientId → array of audiences,
            such as {EXAMPLE}.
          </Text>
        </Alert>
      )}
      {outcome?.kind === 'imported' && (
        <Alert color="blue" title={`Imported ${outcome.file}`}>
          <Stack gap={2}>
            <Text size="sm">
              {outcome.changed.length === 0
                ? 'No entry changes anything.'
                : `${outcome.changed.length} client${outcome.changed.length === 1 ? '' : 's'} now pending: ${names(outcome.changed)}.`}
            </Text>
            {outcome.unchanged.length > 0 && <Text size="sm">Already so in Keycloak: {names(outcome.unchanged)}.</Text>}
            {outcome.unknown.length > 0 && (
              <Text size="sm" fw={600}>
                Not in realm {realm}, left out: {names(outcome.unknown)}.
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      {outcome?.kind === 'exported' && outcome.leftOut.length > 0 && (
        <Alert color="yellow" title="Left out of the file">
          <Text size="sm">{outcome.leftOut.map((item) => `${item.clientId}: ${item.why}`).join('; ')}.</Text>
        </Alert>
      )}
    </Stack>
  );
}
