import type { ClientAudit } from '../audit/findings.ts';
import type { ClientRep } from '../audit/snapshot.ts';
import { audienceName, numberedName, validScopeName } from './names.ts';
import { audienceMapper, DEFAULT_SHARED_SCOPE_NAME, provenance, SCOPE_ATTRIBUTES } from './new-objects.ts';
import { type Context, freeScopeName, needsLightweightFlag } from './plan-context.ts';
import { reusable } from './scope-reuse.ts';
import type { PlanOptions, PlanStep, ScopeBody } from './types.ts';
import { addClientMapperStep } from './write-kinds/client-mapper.ts';
import { createScopeStep } from './write-kinds/scope.ts';
import { linkAsDefault } from './write-kinds/scope-link.ts';

/** Per-client scope: `<clientId>-audience` (or an existing one exactly like it) as a default scope. */
export function clientScopeSteps(audit: ClientAudit, client: ClientRep, context: Context, options: PlanOptions) {
  const wished = validScopeName(options.scopeNames?.[client.clientId]?.trim() || audienceName(client.clientId));
  const { name, existing } = freeScopeName(wished, context, (scope) => reusable(scope, audit, client, context));
  if (existing) {
    const optionalNow = client.optionalClientScopes?.includes(existing.name) === true;
    return linkAsDefault(client, { id: existing.id, name }, optionalNow);
  }
  const body: ScopeBody = {
    name,
    description: provenance([client.clientId], options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: [
      audienceMapper(audienceName(client.clientId), client.clientId, needsLightweightFlag(audit, client, context)),
    ],
  };
  return [createScopeStep(body, [client.clientId]), ...linkAsDefault(client, { name }, false)];
}

/** Dedicated mapper: the Audience mapper on the client itself. */
export function dedicatedMapperSteps(audit: ClientAudit, client: ClientRep, context: Context): PlanStep[] {
  const names = new Set((client.protocolMappers ?? []).map((mapper) => mapper.name));
  const wished = audienceName(client.clientId);
  let name = wished;
  for (let n = 2; names.has(name); n++) name = numberedName(wished, n);
  const mapper = audienceMapper(name, client.clientId, needsLightweightFlag(audit, client, context));
  return [addClientMapperStep(client, mapper)];
}

/** Shared scope: one scope with one mapper per client, attached to all of them. */
export function sharedScopeSteps(
  fixing: { audit: ClientAudit; client: ClientRep }[],
  context: Context,
  options: PlanOptions,
) {
  if (fixing.length === 0) return [];
  const wished = validScopeName(options.sharedScopeName?.trim() || DEFAULT_SHARED_SCOPE_NAME);
  const { name } = freeScopeName(wished, context);
  const clientIds = fixing.map(({ client }) => client.clientId);
  const body: ScopeBody = {
    name,
    description: provenance(clientIds, options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: fixing.map(({ audit, client }) =>
      audienceMapper(audienceName(client.clientId), client.clientId, needsLightweightFlag(audit, client, context)),
    ),
  };
  return [createScopeStep(body, clientIds), ...fixing.flatMap(({ client }) => linkAsDefault(client, { name }, false))];
}
