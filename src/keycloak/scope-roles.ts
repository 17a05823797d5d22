import type RoleRepresentation from '@keycloak/keycloak-admin-client/lib/defs/roleRepresentation.js';
import type { LimitFunction } from 'p-limit';
import { canWriteAud } from '../audit/mappers.ts';
import type { ClientScopeRep } from '../audit/snapshot.ts';
import type { AdminClient } from './admin.ts';
import { adminCall, unlessRefused } from './errors.ts';

/** Scopes whose role scope mappings matter: those holding a mapper that can write `aud`. */
export function scopesNeedingRoleCheck(scopes: ClientScopeRep[]): ClientScopeRep[] {
  return scopes.filter((scope) => scope.protocolMappers?.some(canWriteAud));
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

/** From this many scopes to check, one partial export replaces the per-scope reads (a choice, not benchmarked yet). */
export const PARTIAL_EXPORT_FROM = 4;

interface ExportedScopeMapping {
  clientScope?: string;
  roles?: string[];
}

/**
 * Every client scope's role scope mappings by scope name, in one request: the realm's partial export
 * without clients, groups or roles still carries them (ExportUtils.exportRealm writes `scopeMappings` and
 * `clientScopeMappings` for every client scope whatever the options). It needs manage-realm
 * (RealmAdminResource.partialExport): undefined when refused.
 */
export async function exportedScopeRoles(
  admin: AdminClient,
  realm: string,
): Promise<Map<string, string[]> | undefined> {
  const exported = await unlessRefused(() =>
    admin.realms.export({ realm, exportClients: false, exportGroupsAndRoles: false }),
  );
  if (!exported) return undefined;
  const roles = new Map<string, string[]>();
  const add = (scope: string | undefined, names: string[]) => {
    if (scope) roles.set(scope, [...(roles.get(scope) ?? []), ...names]);
  };
  for (const mapping of (exported.scopeMappings ?? []) as ExportedScopeMapping[]) {
    add(mapping.clientScope, mapping.roles ?? []);
  }
  const byClient = (exported.clientScopeMappings ?? {}) as Record<string, ExportedScopeMapping[]>;
  for (const [clientId, mappings] of Object.entries(byClient)) {
    for (const mapping of mappings)
      add(
        mapping.clientScope,
        (mapping.roles ?? []).map((role) => `${clientId}/${role}`),
      );
  }
  return roles;
}

/** The limiters of one snapshot: the pages' and the realm-wide reads'. */
export interface ReadLanes {
  pages: LimitFunction;
  realmWide: LimitFunction;
}

/**
 * The role scope mappings of the scopes that need a check, told scope by scope: one partial export when the admin
 * may make it and there are enough scopes, else one read per scope under the pages' limiter. The export is
 * a realm-wide read: in the pages' lane it waited for the first pages (about 0.5 s at 5,000 clients), and
 * until it is in, no verdict of a client with an audience scope is final.
 */
export async function roleRestrictions(
  admin: AdminClient,
  realm: string,
  scopes: ClientScopeRep[],
  lanes: ReadLanes,
  /** Told each scope's roles as soon as they are read: a reader that shows verdicts meanwhile needs both at once. */
  onScope: (scopeId: string, roles: string[]) => void,
): Promise<void> {
  if (scopes.length >= PARTIAL_EXPORT_FROM) {
    const exported = await lanes.realmWide(() => exportedScopeRoles(admin, realm));
    if (exported) {
      for (const scope of scopes) onScope(scope.id, exported.get(scope.name) ?? []);
      return;
    }
  }
  await Promise.all(
    scopes.map((scope) => lanes.pages(async () => onScope(scope.id, await scopeRoleNames(admin, realm, scope.id)))),
  );
}

export interface DefaultRoles {
  name: string;
  composites: RoleRepresentation[];
}

/** `default-roles-<realm>` and its composites; undefined without view-realm. */
export async function readDefaultRoles(
  admin: AdminClient,
  realm: string,
  limit: LimitFunction,
): Promise<DefaultRoles | undefined> {
  const realmRep = await limit(() => unlessRefused(() => admin.realms.findOne({ realm })));
  const defaultRole = realmRep?.defaultRole;
  if (!defaultRole?.id) return undefined;
  const id = defaultRole.id;
  const composites = await limit(() => unlessRefused(() => admin.roles.getCompositeRoles({ realm, id })));
  return composites ? { name: defaultRole.name ?? '', composites } : undefined;
}

/**
 * The roles every user holds, named like scopeRoleNames. One level of the composite only: Keycloak's own
 * default roles are not nested. A client role whose client is not known yet is undefined: not read yet.
 */
export function defaultRoleNames(
  roles: DefaultRoles,
  clientIdByUuid: Map<string, string>,
  allClientsRead: boolean,
): string[] | undefined {
  const names = [roles.name];
  for (const role of roles.composites) {
    if (!role.clientRole) {
      names.push(role.name ?? '');
      continue;
    }
    const clientId = clientIdByUuid.get(role.containerId ?? '') ?? (allClientsRead ? role.containerId : undefined);
    if (clientId === undefined) return undefined;
    names.push(`${clientId}/${role.name}`);
  }
  return names;
}
