import type { ClientKind } from './findings.ts';
import type { ClientRep } from './snapshot.ts';

const BUILT_IN_CLIENT_IDS = new Set([
  'account',
  'account-console',
  'admin-cli',
  'broker',
  'realm-management',
  'security-admin-console',
  'admin-permissions',
]);

export const LIGHTWEIGHT_ATTRIBUTE = 'client.use.lightweight.access.token.enabled';

const attribute = (client: ClientRep, key: string) => client.attributes?.[key];

/** Keycloak's own clients; "<realm>-realm" clients exist only in master. */
export function isBuiltIn(client: ClientRep, realm: string): boolean {
  return (
    attribute(client, 'realm_client') === 'true' ||
    BUILT_IN_CLIENT_IDS.has(client.clientId) ||
    (realm === 'master' && client.clientId.endsWith('-realm'))
  );
}

export function isLightweight(client: ClientRep): boolean {
  return attribute(client, LIGHTWEIGHT_ATTRIBUTE) === 'true';
}

export function isOidc(client: ClientRep): boolean {
  return (client.protocol ?? 'openid-connect') === 'openid-connect';
}

/** The grants through which a client obtains access tokens of its own. */
export function enabledGrants(client: ClientRep): string[] {
  const grants: [boolean, string][] = [
    [client.standardFlowEnabled === true, 'standard flow'],
    [client.implicitFlowEnabled === true, 'implicit flow'],
    [client.directAccessGrantsEnabled === true, 'direct access grants'],
    [client.serviceAccountsEnabled === true, 'service account'],
    [attribute(client, 'oauth2.device.authorization.grant.enabled') === 'true', 'device grant'],
    [attribute(client, 'oidc.ciba.grant.enabled') === 'true', 'CIBA'],
    [attribute(client, 'standard.token.exchange.enabled') === 'true', 'token exchange'],
  ];
  return grants.filter(([enabled]) => enabled).map(([, name]) => name);
}

export function clientKind(client: ClientRep): ClientKind {
  if (!isOidc(client)) return 'saml';
  if (client.bearerOnly) return 'bearer-only';
  if (client.publicClient) return 'public';
  const interactive = client.standardFlowEnabled || client.implicitFlowEnabled || client.directAccessGrantsEnabled;
  return client.serviceAccountsEnabled && !interactive ? 'service-account' : 'confidential';
}

/** Why a client never gets access tokens of its own, or undefined when it can. */
export function whyNoTokens(client: ClientRep): string | undefined {
  if (!isOidc(client)) return `a ${client.protocol ?? 'non-OIDC'} client gets no OpenID Connect access tokens`;
  if (client.enabled === false) return 'the client is disabled';
  if (client.bearerOnly) return 'a bearer-only client never gets tokens of its own';
  if (enabledGrants(client).length === 0) return 'no flow or grant is enabled, so it never asks for tokens';
  return undefined;
}
