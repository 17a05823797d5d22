import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { obtainDistribution } from '../../e2e/keycloak/distribution.ts';
import { ensureKeycloak } from '../../e2e/keycloak/harness.ts';
import { readState, stopServer } from '../../e2e/keycloak/server.ts';
import { type HarnessSettings, readSettings, repoRoot, serverUrl, versionDir } from '../../e2e/keycloak/settings.ts';

/**
 * The paging benchmarks' own Keycloak: its own ports, data folder and state file, so that the e2e
 * server (8080) keeps running beside it, and its data kept between runs, so that the large realms are
 * imported once. BENCH_KEYCLOAK_HTTP_PORT / BENCH_KEYCLOAK_MANAGEMENT_PORT / BENCH_KEYCLOAK_CACHE_DIR
 * move it; KEYCLOAK_URL points the bench at a server that runs already.
 */
/** A password grant's access token: the bench's sign-ins that are not what it times. */
export async function passwordGrant(
  url: string,
  clientId: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password }),
  });
  if (!response.ok) throw new Error(`password grant for ${clientId} answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function benchSettings(): HarnessSettings {
  const shared = readSettings();
  const settings = readSettings({
    ...process.env,
    KEYCLOAK_HTTP_PORT: process.env.BENCH_KEYCLOAK_HTTP_PORT ?? '8180',
    KEYCLOAK_MANAGEMENT_PORT: process.env.BENCH_KEYCLOAK_MANAGEMENT_PORT ?? '9180',
    KEYCLOAK_CACHE_DIR: process.env.BENCH_KEYCLOAK_CACHE_DIR ?? join(repoRoot, '.cache', 'bench-keycloak'),
    KEYCLOAK_KEEP_DATA: 'true',
  });
  // The distribution the e2e harness unpacked (or KEYCLOAK_HOME), not a second download.
  // The real path: kc.sh resolves links, and the harness finds its server by the home in its command line.
  if (!settings.externalUrl) settings.keycloakHome = realpathSync(settings.keycloakHome ?? obtainDistribution(shared));
  const host = new URL(serverUrl(settings)).hostname;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) {
    throw new Error(`the bench only talks to a Keycloak on this machine, not ${serverUrl(settings)}`);
  }
  return settings;
}

export interface BenchKeycloak {
  settings: HarnessSettings;
  url: string;
  startedHere: boolean;
  /** The entries of Keycloak's realms cache the server was started with, when a bench started it. */
  realmsCacheEntries: string | undefined;
  /** Stops the server if this process started it; its data (the large realms) stays. */
  release: () => Promise<void>;
}

/** Keycloak's default heap (512 MB) runs out on one unpaged GET /clients of 10,000 clients. */
const HEAP = process.env.BENCH_KEYCLOAK_HEAP ?? '2g';

/**
 * Entries of Keycloak's realms cache (default 10,000): the bench realms hold about 17,000 clients, each with
 * its entries, so with the default the reads of 5,000 and 10,000 clients are served from the database and
 * time H2 more than Keycloak. Both are servers admins run, and the figures differ by far (the README's
 * Benchmarks): BENCH_KEYCLOAK_REALMS_CACHE=10000 starts the bench's server with the default.
 */
const REALMS_CACHE_ENTRIES = process.env.BENCH_KEYCLOAK_REALMS_CACHE ?? '200000';

/** Beside the harness's state file: how the bench started the server, for the reports of later runs. */
const startSettingsFile = (settings: HarnessSettings) => join(versionDir(settings), 'bench-start.json');

interface StartSettings {
  pid: number;
  realmsCacheEntries: string;
}

function realmsCacheOf(settings: HarnessSettings, startedHere: boolean): string | undefined {
  const pid = readState(settings)?.pid;
  if (pid === undefined) return undefined;
  if (startedHere) {
    const realmsCacheEntries = process.env.KC_CACHE_EMBEDDED_REALMS_MAX_COUNT ?? REALMS_CACHE_ENTRIES;
    writeFileSync(
      startSettingsFile(settings),
      `${JSON.stringify({ pid, realmsCacheEntries } satisfies StartSettings)}\n`,
    );
    return realmsCacheEntries;
  }
  try {
    const started = JSON.parse(readFileSync(startSettingsFile(settings), 'utf8')) as StartSettings;
    return started.pid === pid ? started.realmsCacheEntries : undefined;
  } catch {
    return undefined;
  }
}

/** For the reports' headers: which of the two servers the figures are of. */
export const realmsCacheLabel = (keycloak: BenchKeycloak) =>
  keycloak.realmsCacheEntries === undefined
    ? 'realms cache unknown (server not started by a bench)'
    : `realms cache ${Number(keycloak.realmsCacheEntries).toLocaleString('en')} entries`;

export async function startBenchKeycloak(): Promise<BenchKeycloak> {
  const settings = benchSettings();
  process.env.JAVA_OPTS_APPEND = [process.env.JAVA_OPTS_APPEND, `-Xms${HEAP}`, `-Xmx${HEAP}`].filter(Boolean).join(' ');
  process.env.KC_CACHE_EMBEDDED_REALMS_MAX_COUNT ??= REALMS_CACHE_ENTRIES;
  const handle = await ensureKeycloak(settings);
  return {
    settings,
    url: handle.url,
    startedHere: handle.startedHere,
    realmsCacheEntries: settings.externalUrl ? undefined : realmsCacheOf(settings, handle.startedHere),
    release: async () => {
      if (handle.startedHere && process.env.BENCH_KEEP_KEYCLOAK !== '1') await stopServer(settings);
    },
  };
}

/** Long enough for the slowest reference read (one unpaged GET of 10,000 clients takes minutes here). */
const BENCH_TOKEN_LIFESPAN_S = 900;

/**
 * The reference reader uses one token for a whole read, and master's default lifespan (60 s) is shorter
 * than the slow settings' reads at 10,000 clients: the bench's own Keycloak gets a longer one.
 */
export async function lengthenTokenLifespan(admin: KcAdminClient): Promise<void> {
  const master = await admin.realms.findOne({ realm: 'master' });
  if ((master?.accessTokenLifespan ?? 0) >= BENCH_TOKEN_LIFESPAN_S) return;
  await admin.realms.update({ realm: 'master' }, { accessTokenLifespan: BENCH_TOKEN_LIFESPAN_S });
}
