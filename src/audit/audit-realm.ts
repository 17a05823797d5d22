import { auditClient } from './audit-client.ts';
import type { AudienceHolder, ClientAudit, RealmAudit } from './findings.ts';
import { introspectionReadiness } from './introspection.ts';
import type { RealmContext } from './realm-context.ts';
import { declarationsOf, type RequirementLists } from './requirements.ts';
import type { RealmSnapshot } from './snapshot.ts';
import { exchangeReadiness } from './token-exchange.ts';

export interface AuditOptions {
  /** Requirements that win over the clients' attribute (the CLI's --requirements file): clientId → audiences. */
  requirements?: RequirementLists;
}

export function realmContext(snapshot: RealmSnapshot, options: AuditOptions = {}): RealmContext {
  return {
    realm: snapshot.realm,
    scopesByName: new Map(snapshot.clientScopes.map((scope) => [scope.name, scope])),
    clientIds: new Set(snapshot.clients.map((client) => client.clientId)),
    clientIdByUuid: new Map(snapshot.clients.map((client) => [client.id, client.clientId])),
    mapperTypes: snapshot.mapperTypes ? new Set(snapshot.mapperTypes) : undefined,
    scopeRoleRestrictions: snapshot.scopeRoleRestrictions,
    scopeRestrictingRoles: snapshot.scopeRestrictingRoles,
    defaultRoles: snapshot.defaultRoles ? new Set(snapshot.defaultRoles) : undefined,
    clientPolicies: snapshot.clientPolicies,
    disabledClientIds: new Set(
      snapshot.clients.filter((client) => client.enabled === false).map((client) => client.clientId),
    ),
    version: snapshot.keycloakVersion,
    requirementsFile: options.requirements,
    declarations: declarationsOf(snapshot.clients),
  };
}

/** Every client's verdict, and for each audience the clients whose tokens carry it. */
export function auditRealm(snapshot: RealmSnapshot, options: AuditOptions = {}): RealmAudit {
  const context = realmContext(snapshot, options);
  return realmAuditOf(
    snapshot,
    snapshot.clients.map((client) => auditClient(client, context)),
  );
}

/** The realm-wide part of an audit: the reverse audience index and what could not be checked. */
export function realmAuditOf(snapshot: RealmSnapshot, clients: ClientAudit[]): RealmAudit {
  const audienceIndex: Record<string, AudienceHolder[]> = {};
  const hold = (audience: string, holder: AudienceHolder) => {
    const holders = audienceIndex[audience] ?? [];
    if (!holders.some((known) => known.clientId === holder.clientId && known.applies === holder.applies)) {
      holders.push(holder);
    }
    audienceIndex[audience] = holders;
  };
  for (const audit of clients) {
    for (const audience of audit.audiences) hold(audience, { clientId: audit.clientId, applies: 'always' });
    for (const { value, container } of audit.conditionalAudiences) {
      hold(value, { clientId: audit.clientId, applies: container.applies });
    }
  }

  const notes: string[] = [];
  if (!snapshot.clientPolicies) {
    notes.push(
      'Client policies not checked (they need view-realm): a policy that switches clients to lightweight tokens would not be seen.',
    );
  }
  if (!snapshot.mapperTypes) {
    notes.push('Deployed mapper types not checked: mappers of unknown types are treated as unpredictable.');
  }
  const cannotJudge = snapshot.visibility?.clientsHidden
    ? `Keycloak listed no clients in realm "${snapshot.realm}". Every realm has at least realm-management, so your account may not view its clients: nothing here was judged. Next step: audit with an account that holds view-clients in "${snapshot.realm}".`
    : undefined;
  if (snapshot.visibility?.scopesHidden) {
    notes.push(
      `Keycloak listed no client scopes in realm "${snapshot.realm}" although its clients name some: your account may not view client scopes, so clients that name them are "cannot judge".`,
    );
  }
  notes.push(...readNotes(snapshot));
  const introspection = introspectionReadiness(snapshot.clients, clients, audienceIndex, snapshot.keycloakVersion);
  const exchange = exchangeReadiness(snapshot.clients, clients, audienceIndex, snapshot.keycloakVersion);
  return { realm: snapshot.realm, clients, audienceIndex, introspection, exchange, notes, cannotJudge };
}

const listOf = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/** What reading the client list page by page showed: clients Keycloak left out, clients that moved meanwhile. */
function readNotes(snapshot: RealmSnapshot): string[] {
  const read = snapshot.clientListRead;
  if (!read) return [];
  const notes: string[] = [];
  if (read.omitted > 0) {
    notes.push(
      `Keycloak left ${read.omitted === 1 ? 'one client' : `${read.omitted} clients`} out of its answers (a client it cannot represent, logged on the server): ${read.omitted === 1 ? 'it was' : 'they were'} not judged.`,
    );
  }
  const changes = read.changes;
  if (changes) {
    const parts = [
      changes.appeared.length ? `created ${listOf(changes.appeared)}` : '',
      changes.disappeared.length ? `deleted ${listOf(changes.disappeared)}` : '',
      changes.renamed.length
        ? `renamed ${changes.renamed.map(({ from, to }) => `"${from}" to "${to}"`).join(', ')}`
        : '',
    ].filter(Boolean);
    notes.push(
      `Clients changed while the realm was read (${parts.join('; ')}): the list is as it stood at the end of the read.`,
    );
  }
  return notes;
}
