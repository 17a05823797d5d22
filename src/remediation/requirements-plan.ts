import type { RealmAudit } from '../audit/findings.ts';
import { noSuchClient, whyNotRequirementsWrite } from '../audit/fixability.ts';
import { audienceValue, isAudienceMapper } from '../audit/mappers.ts';
import { parseRequiresAttribute, REQUIRES_ATTRIBUTE } from '../audit/requirements.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { attributeValue } from './settings-diff.ts';
import type { PlanOptions, PlanStep, SkippedClient } from './types.ts';
import { setClientAttributeStep } from './write-kinds/client-attribute.ts';
import { target } from './write-kinds/client-mapper.ts';

export interface RequirementsOutcome {
  steps: PlanStep[];
  fixes: string[];
  skipped: SkippedClient[];
  notes: string[];
}

/** How the attribute stores a list: the JSON the engine reads back. */
export const requiresValue = (audiences: string[] | null) => (audiences === null ? null : JSON.stringify(audiences));

/** Every audience some Audience mapper of the realm adds as a custom audience, attached or not. */
function customAudiences(snapshot: RealmSnapshot): Set<string> {
  const mappers = [...snapshot.clients, ...snapshot.clientScopes].flatMap((holder) => holder.protocolMappers ?? []);
  const added = mappers.filter(isAudienceMapper).map(audienceValue);
  return new Set(added.flatMap((value) => (value?.key === 'included.custom.audience' ? [value.value] : [])));
}

/**
 * Client policies whose client-attributes condition may start (or stop) to apply once the attribute changes:
 * their executors then run on this client's requests. Unread policies are named as such.
 */
function policyNote(snapshot: RealmSnapshot): string | undefined {
  const policies = snapshot.clientPolicies?.policies;
  if (!policies) {
    return `The realm's client policies could not be read: a policy with a "client-attributes" condition may start to apply to these clients once ${REQUIRES_ATTRIBUTE} is written.`;
  }
  const matching = policies.filter((policy) =>
    policy.conditions?.some((condition) => condition.condition === 'client-attributes'),
  );
  if (matching.length === 0) return undefined;
  return `Client polic${matching.length === 1 ? 'y' : 'ies'} ${matching.map((policy) => `"${policy.name}"`).join(', ')} ${matching.length === 1 ? 'has' : 'have'} a "client-attributes" condition: once ${REQUIRES_ATTRIBUTE} is written, ${matching.length === 1 ? 'it' : 'they'} may start or stop applying to these clients.`;
}

/**
 * The attribute writes that make each named client's requirements the given list (null: back to the default
 * rule). Only the attribute changes; an unreadable value is kept unless replacing it was chosen.
 */
export function requirementsPlan(
  snapshot: RealmSnapshot,
  audit: RealmAudit,
  clientIds: string[],
  options: PlanOptions,
): RequirementsOutcome {
  const outcome: RequirementsOutcome = { steps: [], fixes: [], skipped: [], notes: [] };
  const clients = new Map(snapshot.clients.map((client) => [client.clientId, client]));
  const known = new Set([...clients.keys(), ...Object.keys(audit.audienceIndex), ...customAudiences(snapshot)]);
  for (const clientId of [...new Set(clientIds)]) {
    const client = clients.get(clientId);
    const wanted = options.requirements?.[clientId];
    if (!client || wanted === undefined) {
      outcome.skipped.push({ clientId, ...noSuchClient(clientId) });
      continue;
    }
    const now = attributeValue(client, REQUIRES_ATTRIBUTE);
    const value = requiresValue(wanted);
    const parsed = parseRequiresAttribute(now ?? undefined);
    const why = whyNotRequirementsWrite({
      configurable: client.access?.configure !== false,
      unchanged: now === value,
      unreadable: parsed && !parsed.ok && !options.replaceUnreadable ? (now ?? undefined) : undefined,
      unknown: options.acceptUnknownAudiences ? [] : (wanted ?? []).filter((audience) => !known.has(audience)),
    });
    if (why) {
      outcome.skipped.push({ clientId, ...why });
      continue;
    }
    outcome.steps.push(setClientAttributeStep(target(client), REQUIRES_ATTRIBUTE, value, now));
    outcome.fixes.push(clientId);
  }
  const note = outcome.steps.length > 0 ? policyNote(snapshot) : undefined;
  if (note) outcome.notes.push(note);
  return outcome;
}
