import type { ClientAudit, RealmAudit } from '../audit/findings.ts';
import {
  noSuchClient,
  type Skip,
  scopeLinkedWithoutEffect,
  whyNoAudienceClient,
  whyNoCustomAudience,
  whyNotCaller,
} from '../audit/fixability.ts';
import type { ClientRep, ClientScopeRep } from '../audit/snapshot.ts';
import { audienceName, customAudienceName, validScopeName } from './names.ts';
import {
  audienceMapper,
  audienceScopeDescription,
  customAudienceMapper,
  customAudienceScopeDescription,
  SCOPE_ATTRIBUTES,
} from './new-objects.ts';
import { type Context, freeScopeName, needsLightweightFlag } from './plan-context.ts';
import { reusableAudienceScope, reusableCustomAudienceScope } from './scope-reuse.ts';
import type { MapperBody, PlanOptions, PlanStep, ScopeBody, SkippedClient } from './types.ts';
import { createScopeStep } from './write-kinds/scope.ts';
import { linkAsDefault } from './write-kinds/scope-link.ts';

export interface Outcome {
  steps: PlanStep[];
  fixes: string[];
  skipped: SkippedClient[];
  notes: string[];
}

/** What the callers' tokens are to carry: an API client's clientId, or a custom audience. */
interface Target {
  value: string;
  /** The scope's default name, and the name of its one mapper. */
  name: string;
  mapper: (lightweight: boolean) => MapperBody;
  description: (callerIds: string[]) => string;
  reusable: (scope: ClientScopeRep, lightweight: boolean) => boolean;
}

/** The target the options name, or why there is none (then every caller is skipped with that reason). */
export function crossClientTarget(options: PlanOptions, context: Context): Target | Skip {
  const { audienceClientId, customAudience, runId } = options;
  if (customAudience !== undefined) {
    if (audienceClientId !== undefined) {
      return {
        code: 'bad-custom-audience',
        reason: 'Name either an API client or a custom audience, not both.',
      };
    }
    const why = whyNoCustomAudience(customAudience, context.clients.has(customAudience));
    if (why) return why;
    const name = customAudienceName(customAudience);
    return {
      value: customAudience,
      name,
      mapper: (lightweight) => customAudienceMapper(name, customAudience, lightweight),
      description: (callerIds) => customAudienceScopeDescription(customAudience, callerIds, runId),
      reusable: (scope, lightweight) => reusableCustomAudienceScope(scope, customAudience, lightweight, context),
    };
  }
  const exists = audienceClientId !== undefined && context.clients.has(audienceClientId);
  const why = whyNoAudienceClient(audienceClientId, exists);
  if (why || !audienceClientId) return why ?? noSuchClient(String(audienceClientId));
  const name = audienceName(audienceClientId);
  return {
    value: audienceClientId,
    name,
    mapper: (lightweight) => audienceMapper(name, audienceClientId, lightweight),
    description: () => audienceScopeDescription(audienceClientId, runId),
    reusable: (scope, lightweight) => reusableAudienceScope(scope, audienceClientId, lightweight, context),
  };
}

/**
 * The audience scope of an API client, or of a custom audience (found or created), attached as a default
 * scope to each caller that needs it.
 */
export function crossClientPlan(
  audit: RealmAudit,
  callerIds: string[],
  context: Context,
  options: PlanOptions,
): Outcome {
  const outcome: Outcome = { steps: [], fixes: [], skipped: [], notes: [] };
  const unique = [...new Set(callerIds)];
  const target = crossClientTarget(options, context);
  if ('code' in target) {
    outcome.skipped = unique.map((clientId) => ({ clientId, ...target }));
    return outcome;
  }
  const audience = target.value;

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
  const wished = validScopeName(options.scopeNames?.[audience]?.trim() || target.name);
  const { name, existing } = freeScopeName(wished, context, (scope) => target.reusable(scope, lightweight));
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
  outcome.fixes = callers.map(({ client }) => client.clientId);
  const body: ScopeBody = {
    name,
    description: target.description(outcome.fixes),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: [target.mapper(lightweight)],
  };
  outcome.steps = [
    createScopeStep(body, [...outcome.fixes]),
    ...callers.flatMap(({ client }) => linkAsDefault(client, { name }, false)),
  ];
  return outcome;
}
