import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';

/** Whom the fix run's verification generates tokens for: clients without a service account need a user. */
export const FIX_USER = { username: 'fix-user', password: 'fix-user-pw-5d7c2e19' };
/** Fixed already: a plan skips it. */
export const FIXED_CLIENT_ID = 'fixed-web';
/** Gets tokens through its service account only. */
export const WORKER_CLIENT_ID = 'report-worker';

/** "app-01", "app-02", …: web apps whose tokens lack their own clientId. */
export const appIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `app-${String(index + 1).padStart(2, '0')}`);

const webApp = (clientId: string, protocolMappers: Record<string, unknown>[] = []) => ({
  clientId,
  enabled: true,
  protocol: 'openid-connect',
  publicClient: false,
  secret: `${clientId}-secret-7a41`,
  standardFlowEnabled: true,
  redirectUris: ['http://localhost:3999/callback'],
  protocolMappers,
});

/**
 * A throw-away realm for one `fix` test: `apps` broken web apps, a broken service-account client, a fixed
 * client and a user. Its scopes and mappers are Keycloak's defaults, so whatever a run leaves shows.
 */
export function fixRealm(realm: string, apps: number): RealmRepresentation {
  return {
    realm,
    enabled: true,
    clients: [
      ...appIds(apps).map((clientId) => webApp(clientId)),
      {
        clientId: WORKER_CLIENT_ID,
        enabled: true,
        protocol: 'openid-connect',
        publicClient: false,
        secret: 'report-worker-secret-7a41',
        standardFlowEnabled: false,
        serviceAccountsEnabled: true,
      },
      webApp(FIXED_CLIENT_ID, [
        {
          name: `${FIXED_CLIENT_ID} audience`,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: {
            'included.client.audience': FIXED_CLIENT_ID,
            'access.token.claim': 'true',
            'introspection.token.claim': 'true',
            'id.token.claim': 'false',
          },
        },
      ]),
    ],
    users: [
      {
        username: FIX_USER.username,
        enabled: true,
        email: 'fix-user@cli-fix.example',
        emailVerified: true,
        firstName: 'Fix',
        lastName: 'User',
        credentials: [{ type: 'password', value: FIX_USER.password, temporary: false }],
      },
    ],
  };
}

export async function deleteRealm(admin: KcAdminClient, realm: string): Promise<void> {
  if (await admin.realms.findOne({ realm })) await admin.realms.del({ realm });
}

export async function createFixRealm(admin: KcAdminClient, realm: string, apps: number): Promise<void> {
  await deleteRealm(admin, realm);
  await admin.realms.create(fixRealm(realm, apps));
}
