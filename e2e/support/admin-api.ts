import KcAdminClient from '@keycloak/keycloak-admin-client';
import { readSettings, serverUrl } from '../keycloak/settings.ts';

export const keycloakUrl = () => serverUrl(readSettings());

/**
 * An admin client signed in with the password grant of admin-cli, as a test's stand-in for the
 * dashboard's session. It signs in again before the short-lived token runs out.
 */
export async function adminClientAs(
  username: string,
  password: string,
  realm = 'master',
  baseUrl = keycloakUrl(),
): Promise<KcAdminClient> {
  const client = new KcAdminClient({ baseUrl, realmName: realm });
  let signedInAt = 0;
  const signIn = async () => {
    await client.auth({ grantType: 'password', clientId: 'admin-cli', username, password });
    signedInAt = Date.now();
  };
  await signIn();
  client.registerTokenProvider({
    getAccessToken: async () => {
      if (Date.now() - signedInAt > 30_000) await signIn();
      return client.accessToken;
    },
  });
  return client;
}

export function masterAdmin(): Promise<KcAdminClient> {
  const settings = readSettings();
  return adminClientAs(settings.adminUsername, settings.adminPassword);
}

/** Counts the HTTP requests `work` sends through the global fetch. */
export async function countRequests<T>(work: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const original = globalThis.fetch;
  const requests: string[] = [];
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    return original(input, init);
  };
  try {
    return { result: await work(), requests };
  } finally {
    globalThis.fetch = original;
  }
}
