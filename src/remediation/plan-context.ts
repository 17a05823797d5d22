import type { ClientAudit, RealmAudit } from '../audit/findings.ts';
import { lightweightPolicies } from '../audit/policies.ts';
import type { ClientRep, ClientScopeRep, RealmSnapshot } from '../audit/snapshot.ts';
import { numberedName } from './names.ts';

export interface Context {
  snapshot: RealmSnapshot;
  audits: Map<string, ClientAudit>;
  clients: Map<string, ClientRep>;
  scopesByName: Map<string, ClientScopeRep>;
  /** Names this plan already takes, so two new objects never collide. */
  takenScopeNames: Set<string>;
}

/**
 * Whether the mapper must also work in lightweight access tokens: the client uses them, or a policy may switch.
 * The audit reports such a policy only beside a working mapper, so the policies are asked directly as well.
 */
export function needsLightweightFlag(audit: ClientAudit, client: ClientRep, context: Context): boolean {
  if (audit.lightweight || audit.problems.some((problem) => problem.code === 'lightweight-policy')) return true;
  const policies = context.snapshot.clientPolicies;
  return policies !== undefined && lightweightPolicies(policies, client).length > 0;
}

export function planContext(snapshot: RealmSnapshot, audit: RealmAudit): Context {
  return {
    snapshot,
    audits: new Map(audit.clients.map((item) => [item.clientId, item])),
    clients: new Map(snapshot.clients.map((client) => [client.clientId, client])),
    scopesByName: new Map(snapshot.clientScopes.map((scope) => [scope.name, scope])),
    takenScopeNames: new Set(),
  };
}

/** The wished name if free, else the first free numbered variant. */
export function freeScopeName(wanted: string, context: Context, accept?: (scope: ClientScopeRep) => boolean) {
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : numberedName(wanted, n);
    if (context.takenScopeNames.has(name)) continue;
    const existing = context.scopesByName.get(name);
    if (existing && !accept?.(existing)) continue;
    context.takenScopeNames.add(name);
    return { name, existing };
  }
}
