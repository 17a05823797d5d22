import type ClientPoliciesRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientPoliciesRepresentation.js';
import type ClientProfilesRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientProfilesRepresentation.js';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ClientScopeRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientScopeRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type { ClientPoliciesSnapshot, ClientRep, ClientScopeRep, ProtocolMapperRep } from '../audit/snapshot.ts';

/** Keycloak's representations as the engine's plain data, field by field. */

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

/** Realm and global client policies and profiles, as the engine reads them. */
export function toPoliciesSnapshot(
  policies: ClientPoliciesRepresentation,
  profiles: ClientProfilesRepresentation,
): ClientPoliciesSnapshot {
  return {
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
  };
}
