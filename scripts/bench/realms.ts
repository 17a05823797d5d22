import type KcAdminClient from '@keycloak/keycloak-admin-client';
import pLimit from 'p-limit';
import { partialImportLarge } from '../../e2e/support/admin-api.ts';

/**
 * The paging benchmarks' realms: `size` clients, every 10th with its own client scope holding an
 * Audience mapper for that client (so 10 % pass, the rest lack their own clientId in `aud`). The realm
 * is created empty (so it has Keycloak's built-in scopes), the audience scopes one POST each, and the
 * clients by partial imports of IMPORT_BATCH: one import of thousands of clients takes far longer.
 */
export const WITH_SCOPE_EVERY = 10;
const IMPORT_BATCH = 500;
/** Set on the realm once its import finished: a realm without it (an interrupted import) is made again. */
const COMPLETE_ATTRIBUTE = 'audienceDoctorBenchClients';

export const benchRealmName = (size: number) => `bench-clients-${size}`;
export const benchClientId = (index: number) => `app-${String(index).padStart(5, '0')}`;

export interface BenchRealm {
  realm: string;
  size: number;
  /** False when the realm was there already, complete. */
  imported: boolean;
  importSeconds: number;
}

function clientRepresentation(index: number, defaultScopes: string[], optionalScopes: string[]) {
  const clientId = benchClientId(index);
  const withScope = index % WITH_SCOPE_EVERY === 0;
  return {
    clientId,
    name: `Application ${index}`,
    protocol: 'openid-connect',
    publicClient: index % 3 === 0,
    standardFlowEnabled: true,
    redirectUris: [`http://localhost:4000/${clientId}/callback`],
    defaultClientScopes: withScope ? [...defaultScopes, `${clientId}-audience`] : defaultScopes,
    optionalClientScopes: optionalScopes,
  };
}

async function isComplete(admin: KcAdminClient, realm: string, size: number): Promise<boolean> {
  const found = await admin.realms.findOne({ realm });
  if (!found) return false;
  if (found.attributes?.[COMPLETE_ATTRIBUTE] !== String(size)) return false;
  // The last client is there, and none after it.
  const last = await admin.clients.find({ realm, clientId: benchClientId(size - 1) });
  const beyond = await admin.clients.find({ realm, clientId: benchClientId(size) });
  return last.length === 1 && beyond.length === 0;
}

export async function ensureBenchRealm(
  admin: KcAdminClient,
  size: number,
  log: (line: string) => void = () => {},
): Promise<BenchRealm> {
  const realm = benchRealmName(size);
  if (await isComplete(admin, realm, size)) return { realm, size, imported: false, importSeconds: 0 };
  const started = performance.now();
  if (await admin.realms.findOne({ realm })) await admin.realms.del({ realm });
  await admin.realms.create({ realm, enabled: true });
  // Their payload type reads `void & { realm }`, which no object literal satisfies.
  const names = (scopes: { name?: string }[]) => scopes.flatMap((scope) => (scope.name ? [scope.name] : []));
  const defaultScopes = names(await admin.clientScopes.listDefaultClientScopes({ realm } as never));
  const optionalScopes = names(await admin.clientScopes.listDefaultOptionalClientScopes({ realm } as never));
  const limit = pLimit(4);
  const scoped = Array.from({ length: Math.ceil(size / WITH_SCOPE_EVERY) }, (_, n) => n * WITH_SCOPE_EVERY);
  await Promise.all(
    scoped.map((index) =>
      limit(async () => {
        const clientId = benchClientId(index);
        await admin.clientScopes.create({
          realm,
          name: `${clientId}-audience`,
          protocol: 'openid-connect',
          attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
          protocolMappers: [
            {
              name: `${clientId} audience`,
              protocol: 'openid-connect',
              protocolMapper: 'oidc-audience-mapper',
              config: { 'included.client.audience': clientId, 'access.token.claim': 'true' },
            },
          ],
        });
      }),
    ),
  );
  log(`${realm}: ${scoped.length} audience scopes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (let first = 0; first < size; first += IMPORT_BATCH) {
    const clients = [];
    for (let index = first; index < Math.min(size, first + IMPORT_BATCH); index += 1) {
      clients.push(clientRepresentation(index, defaultScopes, optionalScopes));
    }
    await partialImportLarge(admin, realm, { ifResourceExists: 'FAIL', clients });
    log(`${realm}: ${first + clients.length} clients after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await admin.realms.update({ realm }, { realm, attributes: { [COMPLETE_ATTRIBUTE]: String(size) } });
  if (!(await isComplete(admin, realm, size))) throw new Error(`${realm}: the import did not leave ${size} clients`);
  return { realm, size, imported: true, importSeconds: (performance.now() - started) / 1000 };
}
