import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ClientScopeRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientScopeRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import pLimit from 'p-limit';
import { canWriteAud } from '../audit/mappers.ts';
import type {
  ClientPoliciesSnapshot,
  ClientRep,
  ClientScopeRep,
  ProtocolMapperRep,
  RealmSnapshot,
  SnapshotVisibility,
} from '../audit/snapshot.ts';
import type { AdminClient } from './admin.ts';
import { ApiError, adminCall } from './errors.ts';

/** Scope-mapping reads run at most this many at once. */
const SCOPE_MAPPING_CONCURRENCY = 8;

export function toMapper(mapper: ProtocolMapperRepresentation): ProtocolMapperRep {
  return {
    id: mapper.id,
    name: mapper.name,
    protocol: mapper.protocol,
    protocolMapper: mapper.protocolMapper,
    config: { ...(mapper.config as Record<string, string> | undefined) },
  };
}

/** SAML signing keys and the like live in attributes; they never leave this module. */
const SECRET_ATTRIBUTE = /secret|private/i;

function publicAttributes(attributes: Record<string, unknown> | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (!SECRET_ATTRIBUTE.test(key)) kept[key] = String(value);
  }
  return kept;
}

/** Field by field, so that the client secret (and anything else we do not use) is dropped on arrival. */
export function toClientRep(client: ClientRepresentation): ClientRep {
  return {
    id: client.id ?? '',
    clientId: client.clientId ?? '',
    name: client.name,
    description: client.description,
    protocol: client.protocol,
    enabled: client.enabled,
    bearerOnly: client.bearerOnly,
    publicClient: client.publicClient,
    consentRequired: client.consentRequired,
    fullScopeAllowed: client.fullScopeAllowed,
    standardFlowEnabled: client.standardFlowEnabled,
    implicitFlowEnabled: client.implicitFlowEnabled,
    directAccessGrantsEnabled: client.directAccessGrantsEnabled,
    serviceAccountsEnabled: client.serviceAccountsEnabled,
    attributes: publicAttributes(client.attributes),
    defaultClientScopes: client.defaultClientScopes ?? [],
    optionalClientScopes: client.optionalClientScopes ?? [],
    protocolMappers: (client.protocolMappers ?? []).map(toMapper),
    access: client.access
      ? { view: client.access.view, configure: client.access.configure, manage: client.access.manage }
      : undefined,
  };
}

export function toScopeRep(scope: ClientScopeRepresentation): ClientScopeRep {
  return {
    id: scope.id ?? '',
    name: scope.name ?? '',
    description: scope.description,
    protocol: scope.protocol,
    attributes: { ...(scope.attributes as Record<string, string> | undefined) },
    protocolMappers: (scope.protocolMappers ?? []).map(toMapper),
  };
}

/** The roles of a client scope's Scope tab: realm roles by name, client roles as `clientId/role`. */
export async function scopeRoleNames(admin: AdminClient, realm: string, scopeId: string): Promise<string[]> {
  const mappings = await adminCall(() => admin.clientScopes.listScopeMappings({ realm, id: scopeId }));
  return [
    ...(mappings.realmMappings ?? []).map((role) => role.name ?? ''),
    ...Object.entries(mappings.clientMappings ?? {}).flatMap(([clientId, client]) =>
      (client.mappings ?? []).map((role: { name?: string }) => `${clientId}/${role.name ?? ''}`),
    ),
  ];
}

/** Whether a client scope has role scope mappings: its mappers then apply only to users holding one of those roles. */
export async function scopeHasRoleMappings(admin: AdminClient, realm: string, scopeId: string): Promise<boolean> {
  return (await scopeRoleNames(admin, realm, scopeId)).length > 0;
}

/**
 * The roles of `default-roles-<realm>`, which every user holds, named like scopeRoleNames. One level of the
 * composite only: Keycloak's own default roles are not nested. Undefined without view-realm.
 */
async function defaultRoleNames(
  admin: AdminClient,
  realm: string,
  clientIdByUuid: Map<string, string>,
): Promise<string[] | undefined> {
  const realmRep = await unlessRefused(() => admin.realms.findOne({ realm }));
  const defaultRole = realmRep?.defaultRole;
  if (!defaultRole?.id) return undefined;
  const composites = await unlessRefused(() => admin.roles.getCompositeRoles({ realm, id: defaultRole.id as string }));
  if (!composites) return undefined;
  return [
    defaultRole.name ?? '',
    ...composites.map((role) =>
      role.clientRole
        ? `${clientIdByUuid.get(role.containerId ?? '') ?? role.containerId}/${role.name}`
        : (role.name ?? ''),
    ),
  ];
}

/** Scopes whose role scope mappings matter: those holding a mapper that can write `aud`. */
export function scopesNeedingRoleCheck(scopes: ClientScopeRep[]): ClientScopeRep[] {
  return scopes.filter((scope) => scope.protocolMappers?.some(canWriteAud));
}

/**
 * Reads that need a role the admin may lack: undefined when refused, so the audit can say what it did not
 * check. Keycloak answers some refusals without CORS headers, which a browser reports as a network failure.
 */
async function unlessRefused<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await adminCall(call);
  } catch (error) {
    if (error instanceof ApiError && (error.kind === 'forbidden' || error.kind === 'network')) return undefined;
    throw error;
  }
}

interface ServerFacts {
  mapperTypes: string[] | undefined;
  keycloakVersion: string | undefined;
}

// Server-wide and slow to produce (the largest admin response): read once per admin client, for every realm.
const serverFactsByClient = new WeakMap<AdminClient, Promise<ServerFacts | undefined>>();

function serverFacts(admin: AdminClient): Promise<ServerFacts | undefined> {
  let facts = serverFactsByClient.get(admin);
  if (!facts) {
    facts = unlessRefused(() => admin.serverInfo.find()).then((info) =>
      info
        ? {
            mapperTypes: info.protocolMapperTypes?.['openid-connect']?.map((type) => type.id ?? ''),
            keycloakVersion: info.systemInfo?.version || undefined,
          }
        : undefined,
    );
    // Only an answer is kept: after a refusal or a failure the next audit asks again.
    const forget = () => serverFactsByClient.delete(admin);
    facts.then((value) => value ?? forget(), forget);
    serverFactsByClient.set(admin, facts);
  }
  return facts;
}

/**
 * What the answers themselves show the admin could not see: Keycloak answers 200 with `[]`, not 403, for lists
 * the admin may not view (`ClientsResource.getClientModels` keeps only clients `canView(client)`,
 * `ClientScopesResource.getClientScopes` answers empty unless `canViewClientScopes`). The scope names inside
 * each client come unfiltered (`ModelToRepresentation.toRepresentation(ClientModel)`), so they tell whether
 * an empty scope list is real. Undefined when nothing shows hidden.
 */
export function visibilityOf(clients: ClientRep[], scopes: ClientScopeRep[]): SnapshotVisibility | undefined {
  // Every realm has realm-management, so an empty client list is never the whole truth.
  const clientsHidden = clients.length === 0;
  const scopesHidden =
    scopes.length === 0 &&
    clients.some(
      (client) => (client.defaultClientScopes?.length ?? 0) + (client.optionalClientScopes?.length ?? 0) > 0,
    );
  return clientsHidden || scopesHidden ? { clientsHidden, scopesHidden } : undefined;
}

function explainListFailure(error: unknown, realm: string): never {
  if (error instanceof ApiError && error.kind === 'not-found') {
    throw new ApiError('not-found', `Realm "${realm}" does not exist on this Keycloak.`, error.status);
  }
  if (error instanceof ApiError && error.kind === 'forbidden') {
    throw new ApiError(
      'forbidden',
      `You need view-clients in realm "${realm}" to audit it (Keycloak answered 403).`,
      error.status,
    );
  }
  throw error;
}

/**
 * Everything the audit needs from one realm, in a fixed number of requests whatever the number of
 * clients: clients, client scopes, deployed mapper types (once per admin client), client policies and
 * profiles, plus one scope-mapping read per scope that carries an audience mapper.
 */
export async function loadSnapshot(admin: AdminClient, realm: string): Promise<RealmSnapshot> {
  // All five start at once, but the clients and scopes reads decide the error: an optional read refused
  // without CORS headers must not turn "you need view-clients" into "Keycloak could not be reached".
  const [clientsRead, scopesRead, serverRead, policiesRead, profilesRead] = await Promise.allSettled([
    adminCall(() => admin.clients.find({ realm })),
    adminCall(() => admin.clientScopes.find({ realm })),
    serverFacts(admin),
    unlessRefused(() => admin.clientPolicies.listPolicies({ realm, includeGlobalPolicies: true })),
    unlessRefused(() => admin.clientPolicies.listProfiles({ realm, includeGlobalProfiles: true })),
  ]);
  const settled = <T>(read: PromiseSettledResult<T>): T => {
    if (read.status === 'rejected') explainListFailure(read.reason, realm);
    return read.value;
  };
  const clients = settled(clientsRead);
  const clientScopes = settled(scopesRead);
  const serverInfo = settled(serverRead);
  const policies = settled(policiesRead);
  const profiles = settled(profilesRead);
  const scopes = clientScopes.map(toScopeRep);
  const clientReps = clients.map(toClientRep);

  const limit = pLimit(SCOPE_MAPPING_CONCURRENCY);
  const clientIdByUuid = new Map(clients.map((client) => [client.id ?? '', client.clientId ?? '']));
  const [restrictions, defaultRoles] = await Promise.all([
    Promise.all(
      scopesNeedingRoleCheck(scopes).map((scope) =>
        limit(async () => [scope.id, await scopeRoleNames(admin, realm, scope.id)] as const),
      ),
    ),
    defaultRoleNames(admin, realm, clientIdByUuid),
  ]);

  const clientPolicies: ClientPoliciesSnapshot | undefined =
    policies && profiles
      ? {
          policies: [...(policies.policies ?? []), ...(policies.globalPolicies ?? [])].map((policy) => ({
            name: policy.name ?? '',
            enabled: policy.enabled,
            mode: (policy as { mode?: string }).mode,
            conditions: (policy.conditions ?? []).map((condition) => ({
              condition: condition.condition ?? '',
              configuration: condition.configuration as Record<string, unknown> | undefined,
            })),
            profiles: policy.profiles ?? [],
          })),
          profiles: [...(profiles.profiles ?? []), ...(profiles.globalProfiles ?? [])].map((profile) => ({
            name: profile.name ?? '',
            executors: (profile.executors ?? []).map((executor) => ({
              executor: executor.executor ?? '',
              configuration: executor.configuration as Record<string, unknown> | undefined,
            })),
          })),
        }
      : undefined;

  return {
    realm,
    keycloakVersion: serverInfo?.keycloakVersion,
    clients: clientReps,
    clientScopes: scopes,
    mapperTypes: serverInfo?.mapperTypes,
    scopeRoleRestrictions: Object.fromEntries(restrictions.map(([id, roles]) => [id, roles.length > 0])),
    scopeRestrictingRoles: Object.fromEntries(restrictions.filter(([, roles]) => roles.length > 0)),
    defaultRoles,
    clientPolicies,
    visibility: visibilityOf(clientReps, scopes),
  };
}
