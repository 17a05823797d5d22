import type { ClientAudit } from './findings.ts';
import type { ClientRep, ProtocolMapperRep } from './snapshot.ts';

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
