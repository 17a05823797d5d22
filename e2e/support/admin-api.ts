import { request as httpRequest } from 'node:http';
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

/**
 * POSTs one large JSON document through node:http, which has no response timeout: Node's fetch gives up
 * after 300 s, and Keycloak takes longer than that to import thousands of clients.
 */
async function postLarge(
  admin: KcAdminClient,
  path: string,
  document: Record<string, unknown>,
  expected: { status: number; what: string },
): Promise<void> {
  const token = await admin.getAccessToken();
  const body = JSON.stringify(document);
  await new Promise<void>((resolve, reject) => {
    const request = httpRequest(
      new URL(path, admin.baseUrl),
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          response.statusCode === expected.status
            ? resolve()
            : reject(new Error(`${expected.what} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Creates a realm from one JSON document (see postLarge). */
export function importLargeRealm(admin: KcAdminClient, realm: Record<string, unknown>): Promise<void> {
  return postLarge(admin, '/admin/realms', realm, { status: 201, what: 'realm import' });
}

/** One partial import (`POST /admin/realms/{realm}/partialImport`): in a realm of thousands of clients, each batch takes long. */
export function partialImportLarge(admin: KcAdminClient, realm: string, rep: Record<string, unknown>): Promise<void> {
  return postLarge(admin, `/admin/realms/${encodeURIComponent(realm)}/partialImport`, rep, {
    status: 200,
    what: 'partial import',
  });
}

/**
 * Whether an Admin API request changes the realm: POST, PUT and DELETE, except the partial export, a POST that
 * only reads (the snapshot makes it to learn the scopes' role scope mappings).
 */
export function isAdminWrite(method: string, path: string): boolean {
  return ['POST', 'PUT', 'DELETE'].includes(method) && !path.endsWith('/partial-export');
}
