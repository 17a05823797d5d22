import { Alert, MultiSelect, Radio, Stack, Text, TextInput } from '@mantine/core';
import { audienceName, customAudienceName, scopeNameProblem, validScopeName } from '../../remediation/names.ts';
import { DEFAULT_SHARED_SCOPE_NAME } from '../../remediation/new-objects.ts';
import type { Strategy } from '../../remediation/types.ts';
import type { OwnStrategy } from './wizard-url.ts';

export type { OwnStrategy } from './wizard-url.ts';

export const strategyText: Record<OwnStrategy, { label: string; description: string }> = {
  'dedicated-mapper': {
    label: 'Audience mapper on each client',
    description:
      'One write per client: an Audience mapper in the client’s dedicated scope adds its own clientId. Nothing new appears in the realm’s scope list.',
  },
  'client-scope': {
    label: 'An audience client scope per client',
    description:
      'Two writes per client: a client scope "<clientId>-audience" holding the mapper, attached as a default scope. Other clients can attach it later to accept this client’s audience.',
  },
  'shared-scope': {
    label: 'One shared scope for all selected clients',
    description:
      'One client scope with a mapper per client, attached to all of them. Every token then carries every selected clientId, so each of these services accepts the others’ tokens.',
  },
  repair: {
    label: 'Repair the existing mapper',
    description:
      'The client already has an Audience mapper for itself that does not work (switched off, internal id instead of clientId, optional scope, lightweight flag). It is updated or relinked, never doubled.',
  },
};

export function StrategyChoice({
  strategy,
  onChange,
  repairable,
}: {
  strategy: OwnStrategy;
  onChange: (strategy: OwnStrategy) => void;
  repairable: boolean;
}) {
  return (
    <Radio.Group
      value={strategy}
      onChange={(value) => onChange(value as OwnStrategy)}
      label="How should Audience Doctor fix it?"
    >
      <Stack gap="sm" mt="xs">
        {(Object.keys(strategyText) as OwnStrategy[]).map((key) => (
          <Radio
            key={key}
            value={key}
            label={strategyText[key].label}
            description={
              key === 'repair' && !repairable
                ? 'None of the selected clients has a broken mapper to repair.'
                : strategyText[key].description
            }
            disabled={key === 'repair' && !repairable}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

function ScopeNameInput({
  label,
  value,
  fallback,
  onChange,
}: {
  label: string;
  value: string;
  fallback: string;
  onChange: (value: string) => void;
}) {
  const wanted = value.trim() || fallback;
  const problem = scopeNameProblem(wanted);
  const used = validScopeName(wanted);
  return (
    <TextInput
      label={label}
      value={value}
      placeholder={fallback}
      onChange={(event) => onChange(event.currentTarget.value)}
      description={problem ? `${problem} It will be created as "${used}".` : undefined}
      maw={520}
    />
  );
}

export function StrategyOptions({
  strategy,
  clientIds,
  scopeNames,
  onScopeName,
  sharedName,
  onSharedName,
  audience,
  custom = false,
}: {
  audience?: string;
  /** `audience` is a custom audience, not a clientId. */
  custom?: boolean;
  strategy: Strategy;
  clientIds: string[];
  scopeNames: Record<string, string>;
  onScopeName: (clientId: string, name: string) => void;
  sharedName: string;
  onSharedName: (name: string) => void;
}) {
  if (strategy === 'client-scope') {
    return (
      <Stack gap="sm">
        <Text size="sm">
          The scope name can be changed. If a scope of that name exists and is exactly what would be created, it is
          reused; otherwise a free name is chosen.
        </Text>
        {clientIds.map((clientId) => (
          <ScopeNameInput
            key={clientId}
            label={`Scope name for ${clientId}`}
            value={scopeNames[clientId] ?? ''}
            fallback={audienceName(clientId)}
            onChange={(name) => onScopeName(clientId, name)}
          />
        ))}
      </Stack>
    );
  }
  if (strategy === 'cross-client' && audience) {
    return (
      <ScopeNameInput
        label={`Name of the audience scope of ${custom ? 'custom audience ' : ''}${audience}`}
        value={scopeNames[audience] ?? ''}
        fallback={custom ? customAudienceName(audience) : audienceName(audience)}
        onChange={(name) => onScopeName(audience, name)}
      />
    );
  }
  if (strategy === 'shared-scope') {
    return (
      <ScopeNameInput
        label="Name of the shared scope"
        value={sharedName}
        fallback={DEFAULT_SHARED_SCOPE_NAME}
        onChange={onSharedName}
      />
    );
  }
  return (
    <Alert color="gray" variant="light">
      {strategy === 'repair'
        ? 'Nothing to choose: the existing mapper is corrected in place.'
        : 'Nothing to choose: each client gets a mapper named "<clientId>-audience" (or a free variant).'}
    </Alert>
  );
}

/** Cross-client: which clients' tokens should carry the API's clientId, or the custom audience. */
export function CallerChoice({
  audience,
  custom = false,
  candidates,
  callers,
  onChange,
}: {
  audience: string;
  /** `audience` is a custom audience, not a clientId. */
  custom?: boolean;
  candidates: string[];
  callers: string[];
  onChange: (callers: string[]) => void;
}) {
  return (
    <Stack gap="xs">
      {custom ? (
        <Text size="sm">
          {audience} is a custom audience: no client has it as its clientId, so an Audience mapper adds it as "Included
          Custom Audience". Clients that call the service expecting it need it in their access tokens. A client scope
          holding that mapper is attached to them as a default scope (created first if needed).
        </Text>
      ) : (
        <Text size="sm">
          Clients that call {audience} through an aud-checking proxy need {audience} in their access tokens. Its
          audience scope is attached to them as a default scope (created first if needed).
        </Text>
      )}
      <MultiSelect
        label={`Clients whose tokens should carry ${custom ? 'custom audience ' : ''}${audience}`}
        data={candidates.filter((clientId) => clientId !== audience)}
        value={callers}
        onChange={onChange}
        searchable
        clearable
        maw={520}
      />
    </Stack>
  );
}
