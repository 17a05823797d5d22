/**
 * Runs the specs that judge Keycloak's behaviour against every matrix version: a fresh server per version,
 * one Playwright run against it, then the server is stopped. Any version that cannot be fetched, started
 * or passed fails the whole run.
 *
 * MATRIX_VERSIONS=24.0.5,26.4.7 runs a subset; MATRIX_SPECS=e2e/cli.spec.ts,... other specs.
 */
import { spawnSync } from 'node:child_process';
import { obtainDistribution } from '../e2e/keycloak/distribution.ts';
import { parseKeycloakVersion } from '../e2e/keycloak/launch.ts';
import { runningServer, startServer, stopServer } from '../e2e/keycloak/server.ts';
import { MATRIX_KEYCLOAK_VERSIONS, readSettings } from '../e2e/keycloak/settings.ts';

const DEFAULT_SPECS = [
  'e2e/audience-engine.spec.ts',
  'e2e/cli.spec.ts',
  'e2e/cli-requirements.spec.ts',
  'e2e/requirements-write.spec.ts',
  'e2e/introspection.spec.ts',
  'e2e/token-exchange.spec.ts',
  'e2e/cli-fix.spec.ts',
  'e2e/custom-audience-fix.spec.ts',
  'e2e/sign-in.spec.ts',
  'e2e/remediation.spec.ts',
  'e2e/paged-snapshot.spec.ts',
];

const list = (value: string | undefined, fallback: readonly string[]) =>
  value?.trim()
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [...fallback];

interface Outcome {
  version: string;
  result: 'passed' | 'failed';
  /** What failed: fetch, start, or the specs. */
  detail: string;
  startSeconds: number;
  specSeconds: number;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

async function runVersion(version: string, specs: string[]): Promise<Outcome> {
  const outcome: Outcome = { version, result: 'failed', detail: '', startSeconds: 0, specSeconds: 0 };
  const env = { ...process.env, KEYCLOAK_VERSION: version, KEYCLOAK_KEEP_DATA: '' };
  const settings = readSettings(env);
  if (settings.externalUrl || settings.keycloakHome) {
    throw new Error('the matrix starts its own servers: unset KEYCLOAK_URL and KEYCLOAK_HOME');
  }
  const running = await runningServer(settings);
  if (running) {
    outcome.detail = `Keycloak ${version} already runs (pid ${running.pid}); stop it so that the matrix starts on fresh data`;
    return outcome;
  }
  let home: string;
  try {
    home = obtainDistribution(settings);
  } catch (error) {
    outcome.detail = `fetch: ${(error as Error).message}`;
    return outcome;
  }
  const startedAt = Date.now();
  try {
    await startServer(settings, home);
  } catch (error) {
    await stopServer(settings);
    outcome.detail = `start: ${(error as Error).message}`;
    return outcome;
  } finally {
    outcome.startSeconds = seconds(startedAt);
  }
  const specsAt = Date.now();
  try {
    // Global setup finds the server this script started, imports the fixtures (a version that refuses them
    // fails here) and leaves the server running.
    // Tests tagged @pin-only check our own code, not Keycloak's behaviour.
    const run = spawnSync('npx', ['playwright', 'test', '--grep-invert', '@pin-only', ...specs], {
      env,
      stdio: 'inherit',
    });
    outcome.specSeconds = seconds(specsAt);
    if (run.error) outcome.detail = `playwright: ${run.error.message}`;
    else if (run.status !== 0) outcome.detail = `fixture import or specs failed (playwright exit code ${run.status})`;
    else outcome.result = 'passed';
  } finally {
    await stopServer(settings);
  }
  return outcome;
}

async function main(): Promise<void> {
  const versions = list(process.env.MATRIX_VERSIONS, MATRIX_KEYCLOAK_VERSIONS);
  for (const version of versions) parseKeycloakVersion(version);
  const specs = list(process.env.MATRIX_SPECS, DEFAULT_SPECS);
  const started = Date.now();
  const outcomes: Outcome[] = [];
  for (const version of versions) {
    console.log(`\n=== Keycloak ${version}: ${specs.join(' ')}`);
    outcomes.push(await runVersion(version, specs));
  }
  console.log(`\nKeycloak version matrix (${specs.length} spec files):`);
  for (const { version, result, detail, startSeconds, specSeconds } of outcomes) {
    const times = `start ${startSeconds.toFixed(0)} s, specs ${specSeconds.toFixed(0)} s`;
    console.log(`  ${version.padEnd(8)} ${result.padEnd(6)}  ${times}${detail ? `  ${detail}` : ''}`);
  }
  const failed = outcomes.filter((outcome) => outcome.result !== 'passed');
  console.log(
    `total ${(seconds(started) / 60).toFixed(1)} min; ${failed.length} of ${outcomes.length} versions failed`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
