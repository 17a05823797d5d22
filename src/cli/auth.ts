import KcAdminClient from '@keycloak/keycloak-admin-client';
import { decodePastedToken } from '../audit/token-check.ts';
import type { AdminClient } from '../keycloak/admin.ts';
import type { Credentials } from './connection-options.ts';
import { signInFailure } from './failure.ts';

/** Sign in again this long before the access token runs out (admin-cli tokens live 60 s by default). */
const RENEW_BEFORE_MS = 15_000;

/** The token's claims, read (not verified) with the decoder pasted tokens go through. */
function claims(token: string | undefined): Record<string, unknown> {
  const decoded = decodePastedToken(token ?? '');
  return decoded.ok ? decoded.payload : {};
}

function expiresAt(token: string | undefined): number {
  const exp = claims(token).exp;
  return typeof exp === 'number' ? exp * 1000 : 0;
}

/**
 * The admin roles the signed-in account's token carries, by client (composites expanded); undefined when the
 * token carries no role claims at all: from Keycloak 26 admin-cli issues lightweight access tokens, which
 * say nothing of the account's roles.
 */
export function resourceAccessOf(
  accessToken: string | undefined,
): Record<string, { roles?: string[] } | undefined> | undefined {
  const { resource_access: resourceAccess, realm_access: realmRoles } = claims(accessToken);
  if (resourceAccess === undefined && realmRoles === undefined) return undefined;
  return (resourceAccess ?? {}) as Record<string, { roles?: string[] } | undefined>;
}

const grantOf = (credentials: Credentials) =>
  credentials.grant === 'password'
    ? {
        grantType: 'password' as const,
        clientId: 'admin-cli',
        username: credentials.username,
        password: credentials.password,
      }
    : {
        grantType: 'client_credentials' as const,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      };

/**
 * An admin client signed in to `authRealm` with the password grant of admin-cli or the client credentials
 * grant. It signs in again shortly before its token expires: client credentials come without a refresh token.
 */
export async function signIn(url: string, authRealm: string, credentials: Credentials): Promise<AdminClient> {
  const admin = new KcAdminClient({ baseUrl: url, realmName: authRealm });
  const grant = grantOf(credentials);
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      await admin.auth(grant);
    } catch (error) {
      throw signInFailure(error, url, authRealm);
    }
  };
  await renew();
  admin.registerTokenProvider({
    getAccessToken: async () => {
      if (Date.now() > expiresAt(admin.accessToken) - RENEW_BEFORE_MS) {
        renewing ??= renew().finally(() => {
          renewing = undefined;
        });
        await renewing;
      }
      return admin.accessToken;
    },
  });
  return admin;
}
