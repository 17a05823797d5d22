import type { AdminClient } from './admin.ts';
import { adminCall } from './errors.ts';

/** The parts of an example access token that show where `aud` comes from. */
export interface ExampleToken {
  aud: string[];
  azp: string | undefined;
  scope: string | undefined;
  /** clientId → roles, as in the token's resource_access. */
  resourceAccess: Record<string, string[]>;
}

export function readExampleToken(token: Record<string, unknown>): ExampleToken {
  const aud = token.aud;
  const access = (token.resource_access ?? {}) as Record<string, { roles?: unknown }>;
  return {
    aud: aud === undefined || aud === null ? [] : Array.isArray(aud) ? aud.map(String) : [String(aud)],
    azp: typeof token.azp === 'string' ? token.azp : undefined,
    scope: typeof token.scope === 'string' ? token.scope : undefined,
    resourceAccess: Object.fromEntries(
      Object.entries(access).map(([clientId, entry]) => [
        clientId,
        Array.isArray(entry?.roles) ? entry.roles.map(String) : [],
      ]),
    ),
  };
}

/**
 * Asks Keycloak for the access token it would issue to `userId` through this client, with its default
 * scopes plus the named optional ones. Keycloak signs nothing and keeps no session.
 */
export async function generateExampleToken(
  admin: AdminClient,
  realm: string,
  clientUuid: string,
  userId: string,
  optionalScopes: string[] = [],
): Promise<ExampleToken> {
  const token = await adminCall(() =>
    admin.clients.evaluateGenerateAccessToken({
      realm,
      id: clientUuid,
      userId,
      scope: ['openid', ...optionalScopes].join(' '),
      // Typed as required, but an audience would filter aud down to it.
      audience: undefined as unknown as string,
    }),
  );
  return readExampleToken(token as Record<string, unknown>);
}

/** The service-account user of a client (with view-clients alone); Keycloak creates it if it is missing. */
export async function serviceAccountUserId(admin: AdminClient, realm: string, clientUuid: string): Promise<string> {
  const user = await adminCall(() => admin.clients.getServiceAccountUser({ realm, id: clientUuid }));
  if (!user.id) throw new Error('Keycloak returned a service-account user without an id');
  return user.id;
}

export interface UserChoice {
  id: string;
  username: string;
  label: string;
}

/** Users to generate a token for (needs view-users). */
export async function searchUsers(admin: AdminClient, realm: string, search: string, max = 20): Promise<UserChoice[]> {
  const users = await adminCall(() => admin.users.find({ realm, search, max, briefRepresentation: true }));
  return users
    .filter((user) => user.id && user.username)
    .map((user) => {
      const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
      return {
        id: user.id as string,
        username: user.username as string,
        label: name ? `${name} (${user.username})` : (user.username as string),
      };
    });
}

/** The exact user with this username, or undefined. */
export async function findUserByUsername(
  admin: AdminClient,
  realm: string,
  username: string,
): Promise<UserChoice | undefined> {
  const users = await adminCall(() => admin.users.find({ realm, username, exact: true, briefRepresentation: true }));
  const user = users[0];
  return user?.id && user.username ? { id: user.id, username: user.username, label: user.username } : undefined;
}
