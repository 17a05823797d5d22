import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { obtainDistribution } from '../../e2e/keycloak/distribution.ts';
import { ensureKeycloak } from '../../e2e/keycloak/harness.ts';
import { stopServer } from '../../e2e/keycloak/server.ts';
import { type HarnessSettings, readSettings, repoRoot, serverUrl } from '../../e2e/keycloak/settings.ts';

/**
 * The paging benchmarks' own Keycloak: its own ports, data folder and state file, so that the e2e
 * server (8080) keeps running beside it, and its data kept between runs, so that the large realms are
 * imported once. BENCH_KEYCLOAK_HTTP_PORT / BENCH_KEYCLOAK_MANAGEMENT_PORT / BENCH_KEYCLOAK_CACHE_DIR
 * move it; KEYCLOAK_URL points the bench at a server that runs already.
 */
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
  /** Stops the server if this process started it; its data (the large realms) stays. */
  release: () => Promise<void>;
}

/** Keycloak's default heap (512 MB) runs out on one unpaged GET /clients of 10,000 clients. */
const HEAP = process.env.BENCH_KEYCLOAK_HEAP ?? '2g';

/**
 * Entries of Keycloak's realms cache (default 10,000): the bench realms hold about 17,000 clients, each with
 * its entries, so with the default the reads were served from the database and timed H2 more than Keycloak.
 */
const REALMS_CACHE_ENTRIES = process.env.BENCH_KEYCLOAK_REALMS_CACHE ?? '200000';

export async function startBenchKeycloak(): Promise<BenchKeycloak> {
  const settings = benchSettings();
  process.env.JAVA_OPTS_APPEND = [process.env.JAVA_OPTS_APPEND, `-Xms${HEAP}`, `-Xmx${HEAP}`].filter(Boolean).join(' ');
  process.env.KC_CACHE_EMBEDDED_REALMS_MAX_COUNT ??= REALMS_CACHE_ENTRIES;
  const handle = await ensureKeycloak(settings);
  return {
    settings,
    url: handle.url,
    startedHere: handle.startedHere,
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
