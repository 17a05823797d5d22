import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { obtainDistribution } from '../e2e/keycloak/distribution.ts';
import { importFixtures } from '../e2e/keycloak/fixtures.ts';
import { startServer, stopServer } from '../e2e/keycloak/server.ts';
import { readSettings } from '../e2e/keycloak/settings.ts';

/**
 * How long the harness takes to give the tests a Keycloak: unpacking, the first start of a new
 * distribution (which includes Quarkus' build step), a warm restart with a fresh data folder, a
 * restart that keeps its data, and the fixture import. Uses its own folder and ports, so a
 * Keycloak started for development keeps running.
 */
async function main(): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'audience-doctor-bench-'));
  const settings = readSettings({
    ...process.env,
    KEYCLOAK_CACHE_DIR: cacheDir,
    KEYCLOAK_HTTP_PORT: process.env.BENCH_KEYCLOAK_HTTP_PORT ?? '18080',
    KEYCLOAK_MANAGEMENT_PORT: process.env.BENCH_KEYCLOAK_MANAGEMENT_PORT ?? '19000',
    KEYCLOAK_URL: '',
  });
  const results: [string, number][] = [];
  const timed = async <T>(label: string, step: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const value = await step();
    results.push([label, (performance.now() - started) / 1000]);
    return value;
  };

  try {
    const home = await timed('obtain distribution (Maven copy + unzip)', () => obtainDistribution(settings));
    const first = await timed('first start of a new distribution, to ready', () => startServer(settings, home));
    await timed('fixture import (demo, demo-2, master additions)', () =>
      importFixtures(first.url, settings.adminUsername, settings.adminPassword),
    );
    await stopServer(settings);
    await timed('warm restart, fresh data folder, to ready', () => startServer(settings, home));
    await stopServer(settings);
    await timed('warm restart, kept data folder, to ready', () => startServer({ ...settings, keepData: true }, home));
    await stopServer(settings);
  } finally {
    await stopServer(settings);
    rmSync(cacheDir, { recursive: true, force: true });
  }

  console.log(`\nKeycloak ${settings.version} harness timings (${new Date().toISOString()})`);
  for (const [label, seconds] of results) console.log(`  ${label.padEnd(52)} ${seconds.toFixed(1).padStart(6)} s`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
