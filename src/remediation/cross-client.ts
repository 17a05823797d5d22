import type { ClientAudit, RealmAudit } from '../audit/findings.ts';
import { noSuchClient, scopeLinkedWithoutEffect, whyNoAudienceClient, whyNotCaller } from '../audit/fixability.ts';
import type { ClientRep } from '../audit/snapshot.ts';
import { audienceName, validScopeName } from './names.ts';
import { audienceMapper, audienceScopeDescription, SCOPE_ATTRIBUTES } from './new-objects.ts';
import { type Context, freeScopeName, needsLightweightFlag } from './plan-context.ts';
import { reusableAudienceScope } from './scope-reuse.ts';
import type { PlanOptions, PlanStep, ScopeBody, SkippedClient } from './types.ts';
import { createScopeStep } from './write-kinds/scope.ts';
import { linkAsDefault } from './write-kinds/scope-link.ts';

export interface Outcome {
  steps: PlanStep[];
  fixes: string[];
  skipped: SkippedClient[];
  notes: string[];
}

/** The API client's audience scope (found or created) attached as a default scope to each caller that needs it. */
export function crossClientPlan(
  audit: RealmAudit,
  callerIds: string[],
  context: Context,
  options: PlanOptions,
): Outcome {
  const outcome: Outcome = { steps: [], fixes: [], skipped: [], notes: [] };
  const audience = options.audienceClientId;
  const unique = [...new Set(callerIds)];
  const noAudience = whyNoAudienceClient(audience, audience !== undefined && context.clients.has(audience));
  if (noAudience || !audience) {
    const skip = noAudience ?? noSuchClient(String(audience));
    outcome.skipped = unique.map((clientId) => ({ clientId, ...skip }));
    return outcome;
  }

  const holders = audit.audienceIndex[audience] ?? [];
  const callers: { audit: ClientAudit; client: ClientRep }[] = [];
  for (const clientId of unique) {
    const clientAudit = context.audits.get(clientId);
    const client = context.clients.get(clientId);
    const found = clientAudit && client ? { audit: clientAudit, client } : undefined;
    const why = whyNotCaller(clientId, found, audience, holders);
    if (why || !found) {
      outcome.skipped.push({ clientId, ...(why ?? noSuchClient(clientId)) });
      continue;
    }
    // The scope only adds to aud, so it is safe even where the rest of aud cannot be predicted.
    if (found.audit.verdict === 'unpredictable') {
      outcome.notes.push(
        `"${clientId}": ${found.audit.reason} The scope is attached all the same, but whether its tokens then carry "${audience}" cannot be predicted.`,
      );
    }
    callers.push(found);
  }
  if (callers.length === 0) return outcome;

  const lightweight = callers.some(({ audit: item, client }) => needsLightweightFlag(item, client, context));
  const wished = validScopeName(options.scopeNames?.[audience]?.trim() || audienceName(audience));
  const { name, existing } = freeScopeName(wished, context, (scope) =>
    reusableAudienceScope(scope, audience, lightweight, context),
  );
  if (existing) {
    for (const { client } of callers) {
      // Linking again would be a no-op whose undo removes a link the run did not make.
      if (client.defaultClientScopes?.includes(name)) {
        outcome.skipped.push({ clientId: client.clientId, ...scopeLinkedWithoutEffect(name, audience) });
        continue;
      }
      const optionalNow = client.optionalClientScopes?.includes(name) === true;
      outcome.steps.push(...linkAsDefault(client, { id: existing.id, name }, optionalNow));
      outcome.fixes.push(client.clientId);
    }
    return outcome;
  }
  const body: ScopeBody = {
    name,
    description: audienceScopeDescription(audience, options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: [audienceMapper(audienceName(audience), audience, lightweight)],
  };
  outcome.fixes = callers.map(({ client }) => client.clientId);
  outcome.steps = [
    createScopeStep(body, [...outcome.fixes]),
    ...callers.flatMap(({ client }) => linkAsDefault(client, { name }, false)),
  ];
  return outcome;
}
