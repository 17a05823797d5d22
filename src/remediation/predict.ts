import { auditRealm } from '../audit/audit-realm.ts';
import type { AudienceHolder, ClientAudit, RealmAudit } from '../audit/findings.ts';
import { CALLERS_ATTRIBUTE, parseRequiresAttribute } from '../audit/requirements.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { simulate } from './simulate.ts';
import type { Plan } from './types.ts';

/** The callers a declaration write names, before or after: their requirements change with it. */
function declaredCallers(plan: Plan): string[] {
  return plan.steps.flatMap(({ write }) => {
    if (write.kind !== 'set-client-attribute' || write.name !== CALLERS_ATTRIBUTE) return [];
    return [write.value, write.replaces].flatMap((value) => {
      const parsed = parseRequiresAttribute(value ?? undefined);
      return parsed?.ok ? parsed.audiences : [];
    });
  });
}

/** The verdicts the engine predicts for the fixed clients (and the callers they declare) once the plan is applied. */
export function predictedAfter(snapshot: RealmSnapshot, plan: Plan): Map<string, ClientAudit> {
  const after = auditRealm(simulate(snapshot, plan));
  const fixes = new Set([...plan.fixes, ...declaredCallers(plan)]);
  return new Map(after.clients.filter((item) => fixes.has(item.clientId)).map((item) => [item.clientId, item]));
}

/**
 * Who puts `audienceClientId` into their access tokens, and when: the engine's reverse index for that one
 * audience. Pass the audit when it is at hand, to spare a second run of the engine.
 */
export function audienceHolders(
  snapshot: RealmSnapshot,
  audienceClientId: string,
  audit: RealmAudit = auditRealm(snapshot),
): AudienceHolder[] {
  return (audit.audienceIndex[audienceClientId] ?? []).map((holder) => ({ ...holder }));
}

/** The holders of a cross-client plan's audience once the plan is applied; none for a plan without one. */
export function predictedHolders(snapshot: RealmSnapshot, plan: Plan): AudienceHolder[] {
  return plan.audience === undefined ? [] : audienceHolders(simulate(snapshot, plan), plan.audience);
}
