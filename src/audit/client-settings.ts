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

/** Client attributes are read with Java's Boolean.parseBoolean: "true" in any case is on, anything else off. */
export const attributeOn = (client: ClientRep, key: string) => attribute(client, key)?.toLowerCase() === 'true';

/** Keycloak's own clients; "<realm>-realm" clients exist only in master. */
export function isBuiltIn(client: ClientRep, realm: string): boolean {
  return (
    attribute(client, 'realm_client') === 'true' ||
    BUILT_IN_CLIENT_IDS.has(client.clientId) ||
    (realm === 'master' && client.clientId.endsWith('-realm'))
  );
}

export function isLightweight(client: ClientRep): boolean {
  // AbstractOIDCProtocolMapper.getShouldUseLightweightToken → Boolean.parseBoolean.
  return attributeOn(client, LIGHTWEIGHT_ATTRIBUTE);
}

export function isOidc(client: ClientRep): boolean {
  return (client.protocol ?? 'openid-connect') === 'openid-connect';
}

export type Grant =
  | 'authorization_code'
  | 'implicit'
  | 'password'
  | 'client_credentials'
  | 'device'
  | 'ciba'
  | 'token_exchange'
  | 'jwt_grant';

export const GRANT_LABEL: Record<Grant, string> = {
  authorization_code: 'standard flow',
  implicit: 'implicit flow',
  password: 'direct access grants',
  client_credentials: 'service account',
  device: 'device grant',
  ciba: 'CIBA',
  token_exchange: 'token exchange',
  jwt_grant: 'JWT authorization grant',
};

/** The grants a client has switched on, whether or not Keycloak then gives it a token through them. */
export function switchedOnGrants(client: ClientRep): Grant[] {
  const grants: Grant[] = [];
  if (client.standardFlowEnabled === true) grants.push('authorization_code');
  if (client.implicitFlowEnabled === true) grants.push('implicit');
  if (client.directAccessGrantsEnabled === true) grants.push('password');
  if (client.serviceAccountsEnabled === true) grants.push('client_credentials');
  if (attributeOn(client, 'oauth2.device.authorization.grant.enabled')) grants.push('device');
  if (attributeOn(client, 'oidc.ciba.grant.enabled')) grants.push('ciba');
  if (attributeOn(client, 'standard.token.exchange.enabled')) grants.push('token_exchange');
  if (attributeOn(client, 'oauth2.jwt.authorization.grant.enabled')) grants.push('jwt_grant');
  return grants;
}

/** Why Keycloak refuses every token through a switched-on grant, or undefined when it can give one. */
export function whyGrantRefused(client: ClientRep, grant: Grant): string | undefined {
  // ClientCredentialsGrantType.process: "Public client not allowed to retrieve service account".
  if (grant === 'client_credentials' && client.publicClient) return 'a public client cannot use its service account';
  // ResourceOwnerPasswordCredentialsGrantType.process: "Client requires user consent".
  if (grant === 'password' && client.consentRequired)
    return 'the password grant refuses a client that requires consent';
  return undefined;
}

/** The grants through which a client really obtains access tokens of its own. */
export function tokenGrants(client: ClientRep): Grant[] {
  return switchedOnGrants(client).filter((grant) => whyGrantRefused(client, grant) === undefined);
}

/** The grants through which a client obtains access tokens of its own, as a realm admin names them. */
export function enabledGrants(client: ClientRep): string[] {
  return tokenGrants(client).map((grant) => GRANT_LABEL[grant]);
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
  const switchedOn = switchedOnGrants(client);
  if (switchedOn.length === 0) return 'no flow or grant is enabled, so it never asks for tokens';
  if (switchedOn.every((grant) => whyGrantRefused(client, grant) !== undefined)) {
    const reasons = switchedOn.map((grant) => `${whyGrantRefused(client, grant)} (${GRANT_LABEL[grant]})`);
    return `Keycloak refuses every grant it has: ${reasons.join('; ')}`;
  }
  return undefined;
}
