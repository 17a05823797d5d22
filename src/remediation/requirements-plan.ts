import type { RealmAudit } from '../audit/findings.ts';
import { noSuchClient, whyNotRequirementsWrite } from '../audit/fixability.ts';
import { audienceValue, isAudienceMapper } from '../audit/mappers.ts';
import { CALLERS_ATTRIBUTE, parseRequiresAttribute, REQUIRES_ATTRIBUTE } from '../audit/requirements.ts';
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
function policyNote(snapshot: RealmSnapshot, written: string): string | undefined {
  const policies = snapshot.clientPolicies?.policies;
  if (!policies) {
    return `The realm's client policies could not be read: a policy with a "client-attributes" condition may start to apply to these clients once ${written} is written.`;
  }
  const matching = policies.filter((policy) =>
    policy.conditions?.some((condition) => condition.condition === 'client-attributes'),
  );
  if (matching.length === 0) return undefined;
  return `Client polic${matching.length === 1 ? 'y' : 'ies'} ${matching.map((policy) => `"${policy.name}"`).join(', ')} ${matching.length === 1 ? 'has' : 'have'} a "client-attributes" condition: once ${written} is written, ${matching.length === 1 ? 'it' : 'they'} may start or stop applying to these clients.`;
}

type Attribute = typeof REQUIRES_ATTRIBUTE | typeof CALLERS_ATTRIBUTE;

/**
 * The attribute writes that make each named client's requirements the given list (null: back to the default
 * rule), and its declared callers the given clients (null or none: no declaration). Only the attributes change;
 * an unreadable value is kept unless replacing it was chosen.
 */
export function requirementsPlan(
  snapshot: RealmSnapshot,
  audit: RealmAudit,
  clientIds: string[],
  options: PlanOptions,
): RequirementsOutcome {
  const outcome: RequirementsOutcome = { steps: [], fixes: [], skipped: [], notes: [] };
  const clients = new Map(snapshot.clients.map((client) => [client.clientId, client]));
  const audiences = new Set([...clients.keys(), ...Object.keys(audit.audienceIndex), ...customAudiences(snapshot)]);
  const wanted = (attribute: Attribute, clientId: string): string[] | null | undefined => {
    if (attribute === REQUIRES_ATTRIBUTE) return options.requirements?.[clientId];
    const callers = options.callers?.[clientId];
    return callers?.length === 0 ? null : callers;
  };
  for (const clientId of [...new Set(clientIds)]) {
    const client = clients.get(clientId);
    const writes = ([REQUIRES_ATTRIBUTE, CALLERS_ATTRIBUTE] as const).flatMap((attribute) => {
      const list = wanted(attribute, clientId);
      return list === undefined ? [] : [{ attribute, list }];
    });
    if (!client || writes.length === 0) {
      outcome.skipped.push({ clientId, ...noSuchClient(clientId) });
      continue;
    }
    let written = false;
    for (const { attribute, list } of writes) {
      const now = attributeValue(client, attribute);
      const value = requiresValue(list);
      const parsed = parseRequiresAttribute(now ?? undefined);
      const known = attribute === REQUIRES_ATTRIBUTE ? audiences : clients;
      const accepted = attribute === REQUIRES_ATTRIBUTE && options.acceptUnknownAudiences;
      const why = whyNotRequirementsWrite({
        attribute,
        configurable: client.access?.configure !== false,
        unchanged: now === value,
        unreadable: parsed && !parsed.ok && !options.replaceUnreadable ? (now ?? undefined) : undefined,
        unknown: accepted ? [] : (list ?? []).filter((name) => !known.has(name)),
      });
      if (why) {
        outcome.skipped.push({ clientId, ...why });
        continue;
      }
      outcome.steps.push(setClientAttributeStep(target(client), attribute, value, now));
      written = true;
    }
    if (written) outcome.fixes.push(clientId);
  }
  const written = [
    ...new Set(outcome.steps.map(({ write }) => (write.kind === 'set-client-attribute' ? write.name : ''))),
  ];
  const note = written.length > 0 ? policyNote(snapshot, written.join(' or ')) : undefined;
  if (note) outcome.notes.push(note);
  return outcome;
}
