import type { ClientAudit } from './findings.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from './snapshot.ts';

/** A plain ClientAudit for tests: a confidential client whose own clientId is missing, unless told otherwise. */
export function clientAuditFixture(clientId: string, partial: Partial<ClientAudit> = {}): ClientAudit {
  return {
    id: `id-${clientId}`,
    clientId,
    name: undefined,
    kind: 'confidential',
    builtIn: false,
    lightweight: false,
    verdict: 'missing',
    reason: '',
    ownVerdict: partial.verdict ?? 'missing',
    requirementSource: 'default',
    declaredBy: [],
    requirements: [],
    unrequiredAudiences: [],
    evidence: [],
    problems: [],
    audiences: [],
    conditionalAudiences: [],
    roleAudiences: true,
    exampleBlindSpots: [],
    notes: [],
    ...partial,
  };
}

/** An Audience mapper as the Admin API returns it, on for access tokens unless the flags say otherwise. */
export function audienceMapperFixture(
  value: string,
  flags: Record<string, string> = {},
  name = `${value} audience`,
): ProtocolMapperRep {
  return {
    id: `mapper-${name}`,
    name,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    config: { 'included.client.audience': value, 'access.token.claim': 'true', ...flags },
  };
}

/** An enabled OIDC client with the standard flow and no scopes, unless the settings say otherwise. */
export function clientRepFixture(clientId: string, settings: Partial<ClientRep> = {}): ClientRep {
  return {
    id: `uuid-${clientId}`,
    clientId,
    protocol: 'openid-connect',
    enabled: true,
    standardFlowEnabled: true,
    defaultClientScopes: [],
    optionalClientScopes: [],
    ...settings,
  };
}

/** Text as base64url without padding, the way a JWT carries its parts. */
export const base64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A token shaped like Keycloak's (three base64url parts), unsigned: for code that only reads claims. */
export function jwtFixture(payload: unknown, header: unknown = { alg: 'RS256', typ: 'JWT', kid: 'k1' }): string {
  return `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}.c2lnbmF0dXJl`;
}

/** A realm of these clients and scopes, every scope known and unrestricted, on Keycloak `version`. */
export function realmSnapshotFixture(
  clients: ClientRep[],
  version: string | undefined,
  scopes: ClientScopeRep[] = [],
): RealmSnapshot {
  return {
    realm: 'test',
    keycloakVersion: version,
    clients,
    clientScopes: scopes,
    mapperTypes: ['oidc-audience-mapper'],
    scopeRoleRestrictions: {},
    clientPolicies: { policies: [], profiles: [] },
    scopeRestrictingRoles: undefined,
    defaultRoles: [],
  };
}
