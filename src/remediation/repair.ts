import type { ClientAudit, Problem } from '../audit/findings.ts';
import { ACCESS_TOKEN_FLAG, audienceValue, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import type { ClientRep } from '../audit/snapshot.ts';
import { sameConfig } from './compare.ts';
import { type Context, needsLightweightFlag } from './plan-context.ts';
import type { PlanStep, StoredMapper } from './types.ts';
import { updateClientMapperStep } from './write-kinds/client-mapper.ts';
import { updateScopeMapperStep } from './write-kinds/scope.ts';
import { linkAsDefault } from './write-kinds/scope-link.ts';

const REPAIRABLE: Problem['code'][] = [
  'token-flag-off',
  'lightweight-flag-missing',
  'uuid-value',
  'optional-not-default',
  'lightweight-policy',
];

export interface Repairable {
  container: { type: 'client' | 'scope'; id: string; name: string; attachment: 'dedicated' | 'default' | 'optional' };
  mapper: StoredMapper;
}

function findMapper(context: Context, containerType: 'client' | 'scope', containerId: string, mapperId: string) {
  const mappers =
    containerType === 'client'
      ? context.snapshot.clients.find((client) => client.id === containerId)?.protocolMappers
      : context.snapshot.clientScopes.find((scope) => scope.id === containerId)?.protocolMappers;
  const mapper = mappers?.find((candidate) => candidate.id === mapperId);
  return mapper?.id && mapper.name ? (mapper as StoredMapper) : undefined;
}

/** The existing mapper that is meant to carry the client's own audience but does not work, if there is one. */
/** The existing mapper that is meant to carry the client's own audience but does not work, if there is one. */
export function repairable(audit: ClientAudit, client: ClientRep, context: Context): Repairable | undefined {
  const located = [
    ...audit.problems.filter((problem) => REPAIRABLE.includes(problem.code)).map((problem) => problem),
    // A lightweight-policy problem names no mapper: the working mapper is the evidence.
    ...(audit.problems.some((problem) => problem.code === 'lightweight-policy') ? audit.evidence : []),
  ];
  for (const item of located) {
    const { container, mapper } = item;
    if (!container || !mapper?.id || container.applies === 'role-restricted') continue;
    const stored = findMapper(context, container.type, container.id, mapper.id);
    const value = stored && audienceValue(stored);
    if (!stored || !value || value.key !== 'included.client.audience') continue;
    if (value.value !== client.clientId && value.value !== client.id) continue;
    return { container, mapper: stored };
  }
  return undefined;
}

function repairedConfig(mapper: StoredMapper, audit: ClientAudit, lightweight: boolean): Record<string, string> {
  const config = { ...mapper.config };
  config['included.client.audience'] = audit.clientId;
  if (audit.lightweight) config[LIGHTWEIGHT_FLAG] = 'true';
  else {
    config[ACCESS_TOKEN_FLAG] = 'true';
    if (lightweight) config[LIGHTWEIGHT_FLAG] = 'true';
  }
  return config;
}

/** The writes that make the broken mapper work: its settings, and its scope's link as a default scope. */
export function repairSteps(found: Repairable, audit: ClientAudit, client: ClientRep, context: Context): PlanStep[] {
  const steps: PlanStep[] = [];
  const clientIds = [client.clientId];
  const config = repairedConfig(found.mapper, audit, needsLightweightFlag(audit, client, context));
  if (!sameConfig(config, found.mapper.config)) {
    const mapper: StoredMapper = { ...found.mapper, config };
    steps.push(
      found.container.type === 'client'
        ? updateClientMapperStep(client, mapper, found.mapper)
        : updateScopeMapperStep(
            { id: found.container.id, name: found.container.name },
            mapper,
            found.mapper,
            clientIds,
          ),
    );
  }
  if (found.container.type === 'scope' && found.container.attachment === 'optional') {
    steps.push(...linkAsDefault(client, { id: found.container.id, name: found.container.name }, true));
  }
  return steps;
}

/** A repaired mapper of a scope changes the tokens of every client the scope is attached to. */
export function sharedScopeNote(found: Repairable, client: ClientRep, context: Context): string | undefined {
  if (found.container.type !== 'scope') return undefined;
  const others = context.snapshot.clients
    .filter((other) => other.id !== client.id)
    .filter(
      (other) =>
        other.defaultClientScopes?.includes(found.container.name) ||
        other.optionalClientScopes?.includes(found.container.name),
    )
    .map((other) => other.clientId);
  if (others.length === 0) return undefined;
  return `Client scope "${found.container.name}" is also attached to ${others.map((id) => `"${id}"`).join(', ')}: the repaired mapper applies to their tokens too.`;
}
