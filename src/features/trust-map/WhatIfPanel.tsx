import { Alert, Button, Group, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import type { RealmAudit } from '../../audit/findings.ts';
import { requiredAudiences } from '../../audit/trust-map.ts';

interface Props {
  /** The audit of the realm as it is: where an edit starts from. */
  audit: RealmAudit;
  callers: string[];
  edits: ReadonlyMap<string, string[]>;
  onChange: (edits: Map<string, string[]>) => void;
}

/** Requirements edited in the page only: the map shows them, nothing is written to Keycloak. */
export function WhatIfPanel({ audit, callers, edits, onChange }: Props) {
  const [client, setClient] = useState<string | null>(null);
  const current = client ? (edits.get(client) ?? requiredAudiences(audit, client)) : [];
  const suggestions = audit.clients.map((item) => item.clientId);
  const edit = (values: string[]) => {
    if (!client) return;
    const next = new Map(edits);
    next.set(
      client,
      [...new Set(values.map((value) => value.trim()))].filter((value) => value !== ''),
    );
    onChange(next);
  };
  const reset = (clientId: string) => {
    const next = new Map(edits);
    next.delete(clientId);
    onChange(next);
  };
  return (
    <Alert color="blue" variant="light" title="What if: edited requirements, not saved" aria-label="What if">
      <Stack gap="xs">
        <Text size="sm">
          Change what a client's tokens must carry and see the map recomputed. Nothing is written to Keycloak from here,
          and fixes are offered only outside this mode.
        </Text>
        <Group align="end" gap="sm">
          <Select
            label="Client to edit"
            placeholder="clientId"
            searchable
            data={callers}
            limit={50}
            value={client}
            onChange={setClient}
            w={240}
          />
          <TagsInput
            label={client ? `Audiences the tokens of ${client} must carry` : 'Audiences its tokens must carry'}
            placeholder={client ? 'audience, then Enter' : 'choose a client first'}
            data={suggestions}
            limit={50}
            value={current}
            onChange={edit}
            disabled={!client}
            clearable
            w={420}
          />
          {client && edits.has(client) && (
            <Button size="xs" variant="default" onClick={() => reset(client)} mb={4}>
              Undo the edit of {client}
            </Button>
          )}
        </Group>
        {edits.size > 0 && (
          <Group gap="xs" aria-label="Edited requirements">
            <Text size="sm">Edited:</Text>
            {[...edits.entries()].map(([clientId, audiences]) => (
              <Text key={clientId} size="sm" ff="monospace">
                {clientId} → [{audiences.join(', ')}]
              </Text>
            ))}
            <Button size="compact-xs" variant="subtle" onClick={() => onChange(new Map())}>
              Undo every edit
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
