import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { REQUIRES_ATTRIBUTE } from '../../src/audit/requirements.ts';

export interface MapperState {
  name: string;
  protocol?: string;
  protocolMapper?: string;
  config: Record<string, string>;
}

export interface ClientState {
  clientId: string;
  /** The audience-doctor.requires attribute, when set. */
  requires: string | undefined;
  protocolMappers: MapperState[];
  defaultClientScopes: string[];
  optionalClientScopes: string[];
}

export interface ClientScopeState {
  name: string;
  description?: string;
  protocol?: string;
  attributes: Record<string, string>;
  protocolMappers: MapperState[];
}

export interface ScopeMappingState {
  /** `client "<clientId>"` or `client scope "<name>"`. */
  holder: string;
  roles: string[];
}

/** What the audience fix can change in a realm, by name only, so that two copies of a realm compare equal. */
export interface RealmState {
  clients: ClientState[];
  clientScopes: ClientScopeState[];
  /** Realm roles in the scope of a client or client scope. */
  scopeMappings: ScopeMappingState[];
  /** Roles of the client `roleClient` in the scope of a client or client scope. */
  clientScopeMappings: (ScopeMappingState & { roleClient: string })[];
}

/** Stands in for the realm's own name wherever it shows up in a value. */
export const REALM_PLACEHOLDER = '{realm}';

const byKey =
  <T>(key: (item: T) => string) =>
  (left: T, right: T) =>
    key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0;

const sorted = (values: string[] | undefined) => [...(values ?? [])].sort();

/** Keys in order, values as strings, the realm's name replaced. */
function record(values: Record<string, unknown> | undefined, rename: (text: string) => string) {
  return Object.fromEntries(
    Object.entries(values ?? {})
      .sort(byKey(([key]) => key))
      .map(([key, value]) => [key, rename(String(value))]),
  );
}

function mappers(list: ProtocolMapperRepresentation[] | undefined, rename: (text: string) => string): MapperState[] {
  return (list ?? [])
    .map((mapper) => ({
      name: rename(mapper.name ?? ''),
      protocol: mapper.protocol,
      protocolMapper: mapper.protocolMapper,
      config: record(mapper.config, rename),
    }))
    .sort(byKey((mapper) => mapper.name));
}

/** One entry of an export's scopeMappings or clientScopeMappings (the admin client leaves them untyped). */
interface ExportedScopeMapping {
  client?: string;
  clientScope?: string;
  roles?: string[];
}

function scopeMappings(list: unknown, rename: (text: string) => string): ScopeMappingState[] {
  return ((list ?? []) as ExportedScopeMapping[])
    .map((mapping) => ({
      holder: mapping.client ? `client "${rename(mapping.client)}"` : `client scope "${mapping.clientScope ?? ''}"`,
      roles: sorted(mapping.roles).map(rename),
    }))
    .sort(byKey((mapping) => mapping.holder));
}

/**
 * The clients, client scopes and scope mappings of a realm, from one partial export, without any
 * generated id or secret and in a fixed order: two realms imported from the same file compare equal.
 */
export async function realmState(admin: KcAdminClient, realm: string): Promise<RealmState> {
  const exported = await admin.realms.export({ realm, exportClients: true, exportGroupsAndRoles: true });
  const rename = (text: string) => text.replaceAll(realm, REALM_PLACEHOLDER);
  const clients = (exported.clients ?? [])
    .map((client) => ({
      clientId: rename(client.clientId ?? ''),
      // Only the attribute a plan writes: others (such as a secret's creation time) differ between copies.
      requires: client.attributes?.[REQUIRES_ATTRIBUTE],
      protocolMappers: mappers(client.protocolMappers, rename),
      defaultClientScopes: sorted(client.defaultClientScopes),
      optionalClientScopes: sorted(client.optionalClientScopes),
    }))
    .sort(byKey((client) => client.clientId));
  const clientScopes = (exported.clientScopes ?? [])
    .map((scope) => ({
      name: scope.name ?? '',
      description: scope.description === undefined ? undefined : rename(scope.description),
      protocol: scope.protocol,
      attributes: record(scope.attributes, rename),
      protocolMappers: mappers(scope.protocolMappers, rename),
    }))
    .sort(byKey((scope) => scope.name));
  const clientScopeMappings = Object.entries(exported.clientScopeMappings ?? {})
    .flatMap(([roleClient, list]) =>
      scopeMappings(list, rename).map((mapping) => ({ roleClient: rename(roleClient), ...mapping })),
    )
    .sort(byKey((mapping) => `${mapping.roleClient}\n${mapping.holder}`));
  return { clients, clientScopes, scopeMappings: scopeMappings(exported.scopeMappings, rename), clientScopeMappings };
}
