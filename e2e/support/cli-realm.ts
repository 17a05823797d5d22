import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';

/** A throw-away realm whose every client is fixed, for exit code 0 and the client-credentials sign-in. */
export const CLI_REALM = 'cli-spec';

/** Distinctive on purpose: the spec checks that no output ever contains them. */
export const CI_CLIENT = { clientId: 'ci-auditor', secret: 'ci-auditor-secret-5b1f0d93' };
export const PIPELINE_USER = { username: 'pipeline-admin', password: 'pipeline-pw-8c2e71a4' };
/** Fixed with an Audience mapper, so the CSV must keep it from running as a formula. */
export const FORMULA_CLIENT_ID = '=2+3';
/** Fixed, but with a second Audience mapper that is off: ok, with a problem. */
export const HALF_BROKEN_CLIENT_ID = 'two-mappers';

const audienceMapper = (clientId: string, accessToken = 'true', name = `${clientId} audience`) => ({
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: {
    'included.client.audience': clientId,
    'access.token.claim': accessToken,
    'introspection.token.claim': 'true',
    'id.token.claim': 'false',
    'lightweight.claim': 'false',
  },
});

const webApp = (clientId: string, mappers: ReturnType<typeof audienceMapper>[]) => ({
  clientId,
  enabled: true,
  protocol: 'openid-connect',
  publicClient: false,
  secret: `${clientId.replace(/\W/g, '')}-secret`,
  standardFlowEnabled: true,
  redirectUris: ['http://localhost:3999/callback'],
  protocolMappers: mappers,
});

export function cliRealm(): RealmRepresentation {
  return {
    realm: CLI_REALM,
    enabled: true,
    clients: [
      {
        clientId: CI_CLIENT.clientId,
        enabled: true,
        protocol: 'openid-connect',
        publicClient: false,
        secret: CI_CLIENT.secret,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: true,
        protocolMappers: [audienceMapper(CI_CLIENT.clientId)],
      },
      webApp('fixed-app', [audienceMapper('fixed-app')]),
      webApp(FORMULA_CLIENT_ID, [audienceMapper(FORMULA_CLIENT_ID)]),
      webApp(HALF_BROKEN_CLIENT_ID, [
        audienceMapper(HALF_BROKEN_CLIENT_ID),
        audienceMapper(HALF_BROKEN_CLIENT_ID, 'false', 'left over, switched off'),
      ]),
    ],
    users: [
      {
        username: `service-account-${CI_CLIENT.clientId}`,
        enabled: true,
        serviceAccountClientId: CI_CLIENT.clientId,
        clientRoles: { 'realm-management': ['view-clients', 'view-users'] },
      },
      {
        username: PIPELINE_USER.username,
        enabled: true,
        email: 'pipeline-admin@cli-spec.example',
        emailVerified: true,
        firstName: 'Pipeline',
        lastName: 'Admin',
        credentials: [{ type: 'password', value: PIPELINE_USER.password, temporary: false }],
        clientRoles: { 'realm-management': ['view-clients', 'view-users'] },
      },
    ],
  };
}

export async function createCliRealm(admin: KcAdminClient): Promise<void> {
  await deleteCliRealm(admin);
  await admin.realms.create(cliRealm());
}

export async function deleteCliRealm(admin: KcAdminClient): Promise<void> {
  if (await admin.realms.findOne({ realm: CLI_REALM })) await admin.realms.del({ realm: CLI_REALM });
}
