import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import { ensureKeycloak } from '../e2e/keycloak/harness.ts';
import { runningServer, stopServer } from '../e2e/keycloak/server.ts';
import { readSettings, serverUrl } from '../e2e/keycloak/settings.ts';
import { adminClientAs, countRequests } from '../e2e/support/admin-api.ts';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';

/**
 * Against the harness's Keycloak: realms of 20 and 2,000 clients, each created by one realm import, then
 * the HTTP requests and the wall time of snapshot + audit next to one raw GET /clients of the same realm.
 * Half of the clients are fixed with a dedicated Audience mapper, half are not.
 */

/** BENCH_SNAPSHOT_SIZES=20,200 gives a quicker run while working on the bench itself. */
const SIZES = (process.env.BENCH_SNAPSHOT_SIZES ?? '20,2000').split(',').map(Number);
const WARM_UP_RUNS = 2;
const MEASURED_RUNS = 9;
const REQUEST_GOAL = 5;
const WALL_TIME_GOAL = 1.3;

function benchRealm(name: string, count: number): RealmRepresentation {
  return {
    realm: name,
    enabled: true,
    clients: Array.from({ length: count }, (_, index) => {
      const clientId = `bench-app-${index}`;
      return {
        clientId,
        protocol: 'openid-connect',
        publicClient: false,
        secret: `${clientId}-secret`,
        standardFlowEnabled: true,
        redirectUris: [`http://localhost:4000/${clientId}/callback`],
        protocolMappers:
          index % 2 === 0
            ? [
                {
                  name: `${clientId} audience`,
                  protocol: 'openid-connect',
                  protocolMapper: 'oidc-audience-mapper',
                  config: {
                    'included.client.audience': clientId,
                    'access.token.claim': 'true',
                    'introspection.token.claim': 'true',
                  },
                },
              ]
            : [],
      };
    }),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function dropRealm(admin: KcAdminClient, realm: string): Promise<void> {
  if (await admin.realms.findOne({ realm })) await admin.realms.del({ realm });
}

/** One GET, read to the end and parsed, alone. */
async function timedGet(admin: KcAdminClient, url: string, path: string): Promise<number> {
  const token = await admin.getAccessToken();
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  await response.json();
  return performance.now() - started;
}

/** The lower bound: the one request that brings every client. */
const rawClients = (admin: KcAdminClient, url: string, realm: string) =>
  timedGet(admin, url, `/admin/realms/${encodeURIComponent(realm)}/clients`);

interface SizeResult {
  clients: number;
  importSeconds: number;
  requests: string[];
  snapshotAuditMs: number;
  rawMs: number;
  auditMs: number;
  /** Each request of the snapshot timed alone, in ms. */
  alone: [string, number][];
  verdicts: string;
}

async function measure(admin: KcAdminClient, url: string, size: number): Promise<SizeResult> {
  const realm = `bench-${size}`;
  await dropRealm(admin, realm);
  const importStarted = performance.now();
  await admin.realms.create(benchRealm(realm, size));
  const importSeconds = (performance.now() - importStarted) / 1000;
  try {
    const run = async () => auditRealm(await loadSnapshot(admin, realm));
    for (let index = 0; index < WARM_UP_RUNS; index += 1) {
      await run();
      await rawClients(admin, url, realm);
    }
    // A fresh token first, so that no sign-in lands among the counted requests.
    await admin.getAccessToken();
    const { result, requests } = await countRequests(run);
    const audited = result.clients.filter((client) => client.clientId.startsWith('bench-app-'));
    if (audited.length !== size) throw new Error(`${realm}: audited ${audited.length} of ${size} clients`);
    const verdicts = new Map<string, number>();
    for (const client of audited) verdicts.set(client.verdict, (verdicts.get(client.verdict) ?? 0) + 1);

    const snapshotTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let index = 0; index < MEASURED_RUNS; index += 1) {
      await admin.getAccessToken();
      // Alternate which goes first, so that neither always finds the server's caches warmer.
      const first = index % 2 === 0;
      if (first) rawTimes.push(await rawClients(admin, url, realm));
      const started = performance.now();
      await run();
      snapshotTimes.push(performance.now() - started);
      if (!first) rawTimes.push(await rawClients(admin, url, realm));
    }
    // Where the time goes: the engine alone, and each request alone.
    const snapshot = await loadSnapshot(admin, realm);
    const auditTimes: number[] = [];
    for (let index = 0; index < MEASURED_RUNS; index += 1) {
      const started = performance.now();
      auditRealm(snapshot);
      auditTimes.push(performance.now() - started);
    }
    const alone: [string, number][] = [];
    for (const request of requests) {
      const path = request.replace(/^GET /, '');
      const times: number[] = [];
      for (let index = 0; index < 5; index += 1) times.push(await timedGet(admin, url, path));
      alone.push([path.replace(`/admin/realms/${realm}`, ''), median(times)]);
    }
    return {
      clients: size,
      importSeconds,
      requests,
      snapshotAuditMs: median(snapshotTimes),
      rawMs: median(rawTimes),
      auditMs: median(auditTimes),
      alone,
      verdicts: JSON.stringify(Object.fromEntries(verdicts)),
    };
  } finally {
    await dropRealm(admin, realm);
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const url = serverUrl(settings);
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) {
    throw new Error(`the bench only talks to a Keycloak on this machine, not ${url}`);
  }
  // The running harness server as it is (no fixture re-import), or one started here and stopped afterwards.
  const running = settings.externalUrl !== undefined || (await runningServer(settings)) !== undefined;
  const handle = running ? { url, startedHere: false } : await ensureKeycloak(settings);
  const results: SizeResult[] = [];
  try {
    const admin = await adminClientAs(settings.adminUsername, settings.adminPassword, 'master', handle.url);
    for (const size of SIZES) results.push(await measure(admin, handle.url, size));
  } finally {
    if (handle.startedHere) await stopServer(settings);
  }

  console.log(`\nSnapshot + audit against Keycloak ${settings.version} at ${handle.url} (${new Date().toISOString()})`);
  console.log(
    `  as the master admin; medians of ${MEASURED_RUNS} runs; half of the clients fixed by a dedicated mapper`,
  );
  console.log('  clients  import   requests  snapshot+audit  raw GET /clients  ratio  verdicts');
  for (const result of results) {
    const ratio = result.snapshotAuditMs / result.rawMs;
    console.log(
      `  ${String(result.clients).padStart(7)}  ${result.importSeconds.toFixed(1).padStart(5)} s  ${String(result.requests.length).padStart(8)}  ${result.snapshotAuditMs.toFixed(1).padStart(11)} ms  ${result.rawMs.toFixed(1).padStart(13)} ms  ${ratio.toFixed(2).padStart(5)}  ${result.verdicts}`,
    );
  }
  for (const result of results) {
    const parts = result.alone.map(([path, ms]) => `${path} ${ms.toFixed(1)}`).join(', ');
    console.log(
      `  ${result.clients} clients, each request alone (ms): ${parts}; engine alone ${result.auditMs.toFixed(1)} ms`,
    );
  }
  const [small, large] = results;
  const sameCount = small?.requests.length === large?.requests.length;
  const fewEnough = results.every((result) => result.requests.length <= REQUEST_GOAL);
  const fastEnough = results.every((result) => result.snapshotAuditMs <= WALL_TIME_GOAL * result.rawMs);
  console.log(`  goal, same request count at both sizes: ${sameCount ? 'met' : 'MISSED'}`);
  console.log(`  goal, at most ${REQUEST_GOAL} requests: ${fewEnough ? 'met' : 'MISSED'}`);
  console.log(`  goal, wall time at most ${WALL_TIME_GOAL} x the raw fetch: ${fastEnough ? 'met' : 'MISSED'}`);
  // The request counts do not depend on timing: a regression there fails the bench.
  if (!sameCount || !fewEnough) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
