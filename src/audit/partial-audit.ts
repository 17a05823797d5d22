import { auditClient } from './audit-client.ts';
import { type AuditOptions, realmAuditOf, realmContext } from './audit-realm.ts';
import type { ClientAudit, RealmAudit } from './findings.ts';
import { audienceValue, canWriteAud } from './mappers.ts';
import type { RealmContext } from './realm-context.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from './snapshot.ts';

/** What of a realm is still being read while its first clients are shown. */
export interface ReadProgress {
  clientsComplete: boolean;
  /** Scopes whose role scope mappings are not read yet. */
  pendingScopeIds: readonly string[];
}

/** What a client's verdict still depends on; it is final once this is empty. */
export type Pending = 'scope roles' | 'other clients' | 'client scopes';

export interface PartialAudit {
  audit: RealmAudit;
  /** Client id (uuid) → what its verdict waits for; absent when its verdict is final. */
  waiting: Map<string, Pending[]>;
}

/** The clients an Audience mapper of the scope names, by Included Client Audience; a scope read is never changed. */
const namedClientsOf = new WeakMap<ClientScopeRep, string[]>();

function namedClients(mappers: ProtocolMapperRep[] | undefined): string[] {
  const named: string[] = [];
  for (const mapper of mappers ?? []) {
    if (!canWriteAud(mapper)) continue;
    const target = audienceValue(mapper);
    if (target?.key === 'included.client.audience' && target.value !== '') named.push(target.value);
  }
  return named;
}

function scopeNamedClients(scope: ClientScopeRep): string[] {
  let named = namedClientsOf.get(scope);
  if (!named) {
    named = namedClients(scope.protocolMappers);
    namedClientsOf.set(scope, named);
  }
  return named;
}

function pendingFor(
  client: ClientRep,
  audit: ClientAudit,
  context: RealmContext,
  progress: ReadProgress,
  pendingScopes: Set<string>,
): Pending[] {
  const pending: Pending[] = [];
  const scopes: ClientScopeRep[] = [];
  for (const names of [client.defaultClientScopes, client.optionalClientScopes]) {
    for (const name of names ?? []) {
      const scope = context.scopesByName.get(name);
      if (scope) scopes.push(scope);
    }
  }
  if (scopes.some((scope) => pendingScopes.has(scope.id))) pending.push('scope roles');
  if (progress.clientsComplete) return pending;
  // An audience mapper naming a client not read yet: whether it exists (or is disabled) changes the verdict.
  const unread = (clientId: string) => !context.clientIds.has(clientId);
  const unknownTarget =
    namedClients(client.protocolMappers).some(unread) || scopes.some((scope) => scopeNamedClients(scope).some(unread));
  // A required audience that names no client read so far: a client on a later page, or a custom audience.
  const unknownRequired = audit.requirements.some(
    (requirement) => requirement.status !== 'met' && !context.clientIds.has(requirement.audience),
  );
  // Callers it declares that are not read yet: "unknown caller" only once every client is read.
  const unknownCaller = audit.problems.some((problem) => problem.code === 'unknown-caller');
  if (unknownTarget || unknownRequired || unknownCaller) pending.push('other clients');
  // The scopes are read again at the end before one is called not visible (it may be new).
  if (audit.problems.some((problem) => problem.code === 'scope-not-visible')) pending.push('client scopes');
  return pending;
}

/**
 * Audits a realm as its clients arrive. A final verdict never changes with what is read later, so each is
 * kept for the client representation it was made from; waiting ones are judged again on every call. The one
 * exception: a client read later may declare an earlier one its caller (audience-doctor.callers), which adds a
 * requirement; Keycloak offers no search for "any value" of an attribute, so waiting for that would mean no
 * final verdict before the last page. Such a client is judged again when the declaration arrives.
 */
export function createPartialAuditor(
  options: AuditOptions = {},
): (snapshot: RealmSnapshot, progress: ReadProgress) => PartialAudit {
  const finalAudits = new WeakMap<ClientRep, { audit: ClientAudit; declaredBy: string }>();
  return (snapshot, progress) => {
    const context = realmContext(snapshot, options);
    const pendingScopes = new Set(progress.pendingScopeIds);
    const waiting = new Map<string, Pending[]>();
    const clients = snapshot.clients.map((client) => {
      const declaring = context.declarations.byCaller.get(client.clientId);
      const declaredBy = declaring ? declaring.join(' ') : '';
      const known = finalAudits.get(client);
      if (known && known.declaredBy === declaredBy) return known.audit;
      const audit = auditClient(client, context);
      const pending = pendingFor(client, audit, context, progress, pendingScopes);
      if (pending.length > 0) waiting.set(client.id, pending);
      else finalAudits.set(client, { audit, declaredBy });
      return audit;
    });
    return { audit: realmAuditOf(snapshot, clients), waiting };
  };
}
