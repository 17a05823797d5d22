import type { ClientAudit, RealmAudit } from '../audit/findings.ts';
import { noSuchClient, nothingToRepair, whyNotFixable } from '../audit/fixability.ts';
import type { ClientRep, RealmSnapshot } from '../audit/snapshot.ts';
import { crossClientPlan } from './cross-client.ts';
import { clientScopeSteps, dedicatedMapperSteps, sharedScopeSteps } from './own-audience.ts';
import { planContext } from './plan-context.ts';
import { repairable, repairSteps, sharedScopeNote } from './repair.ts';
import { requirementsPlan } from './requirements-plan.ts';
import type { Plan, PlanOptions, PlanStep, SkippedClient, Strategy } from './types.ts';

/** What a cross-client plan's callers are to carry: the custom audience, else the API client's clientId. */
export const crossClientAudience = (options: PlanOptions) => options.customAudience ?? options.audienceClientId;

/**
 * What to write so that each chosen client's access tokens carry its own clientId, or, for cross-client,
 * the API client's clientId or a custom audience. Pure: the snapshot and its audit in, the ordered writes out. A broken fix of
 * a client's own audience is always repaired, never doubled.
 */
export function planFix(snapshot: RealmSnapshot, audit: RealmAudit, clientIds: string[], options: PlanOptions): Plan {
  const context = planContext(snapshot, audit);
  const head = {
    realm: snapshot.realm,
    runId: options.runId,
    strategy: options.strategy,
    request: { clientIds: [...clientIds], options },
  };
  if (options.strategy === 'requirements') {
    const outcome = requirementsPlan(snapshot, audit, clientIds, options);
    return { ...head, ...outcome, crossAcceptance: [], requiresConsent: false };
  }
  if (options.strategy === 'cross-client') {
    const outcome = crossClientPlan(audit, clientIds, context, options);
    const audience = crossClientAudience(options);
    return {
      ...head,
      ...outcome,
      crossAcceptance:
        audience && outcome.fixes.length > 0 ? [{ clientId: audience, accepts: [...outcome.fixes] }] : [],
      requiresConsent: false,
      ...(audience ? { audience } : {}),
    };
  }
  const steps: PlanStep[] = [];
  const skipped: SkippedClient[] = [];
  const notes: string[] = [];
  const fixes: string[] = [];
  const shared: { audit: ClientAudit; client: ClientRep }[] = [];

  for (const clientId of [...new Set(clientIds)]) {
    const clientAudit = context.audits.get(clientId);
    const client = context.clients.get(clientId);
    const why = whyNotFixable(clientAudit, clientId);
    if (why || !clientAudit || !client) {
      skipped.push({ clientId, ...(why ?? noSuchClient(clientId)) });
      continue;
    }
    const broken = repairable(clientAudit, client, context);
    if (broken) {
      const repair = repairSteps(broken, clientAudit, client, context);
      if (repair.length > 0) {
        steps.push(...repair);
        fixes.push(clientId);
        const mapperChanged = repair.some((step) => step.write.kind === 'update-scope-mapper');
        const note = mapperChanged ? sharedScopeNote(broken, client, context) : undefined;
        if (note) notes.push(note);
        if (options.strategy !== 'repair') {
          notes.push(
            `"${clientId}" already has an Audience mapper for itself that does not work ("${broken.mapper.name}"): it is repaired instead of adding a second one.`,
          );
        }
        continue;
      }
    }
    if (options.strategy === 'repair') {
      skipped.push({ clientId, ...nothingToRepair() });
      continue;
    }
    fixes.push(clientId);
    if (options.strategy === 'dedicated-mapper') steps.push(...dedicatedMapperSteps(clientAudit, client, context));
    else if (options.strategy === 'client-scope')
      steps.push(...clientScopeSteps(clientAudit, client, context, options));
    else shared.push({ audit: clientAudit, client });
  }
  steps.push(...sharedScopeSteps(shared, context, options));

  const sharedIds = shared.map(({ client }) => client.clientId);
  const crossAcceptance =
    sharedIds.length > 1
      ? sharedIds.map((clientId) => ({ clientId, accepts: sharedIds.filter((other) => other !== clientId) }))
      : [];
  return {
    ...head,
    steps,
    fixes,
    skipped,
    notes,
    crossAcceptance,
    requiresConsent: crossAcceptance.length > 0,
  };
}

/**
 * The strategy to offer first for a client's own audience: repair when the client already has a broken fix
 * of its own. Never cross-client: that one answers another question (which API the tokens are for).
 */
export function suggestedStrategy(
  snapshot: RealmSnapshot,
  audit: RealmAudit,
  clientIds: string[],
): Extract<Strategy, 'repair' | 'dedicated-mapper'> {
  const plan = planFix(snapshot, audit, clientIds, { strategy: 'repair', runId: 'suggestion' });
  return plan.fixes.length > 0 && plan.skipped.every((item) => item.code !== 'nothing-to-repair')
    ? 'repair'
    : 'dedicated-mapper';
}
