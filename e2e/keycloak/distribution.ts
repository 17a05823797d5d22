import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type HarnessSettings, log, MAVEN_DEPENDENCY_PLUGIN } from './settings.ts';

function hasLauncher(home: string): boolean {
  return existsSync(join(home, 'bin', 'kc.sh'));
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw new Error(`${what} failed: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit code ${result.status})`);
}

function commandExists(command: string): boolean {
  return !spawnSync(command, ['-v'], { stdio: 'ignore' }).error;
}

/** Returns an unpacked Keycloak distribution: KEYCLOAK_HOME, the cached one, or a new one from Maven. */
export function obtainDistribution(settings: HarnessSettings): string {
  if (settings.keycloakHome) {
    if (!hasLauncher(settings.keycloakHome)) {
      throw new Error(`KEYCLOAK_HOME=${settings.keycloakHome} is not an unpacked Keycloak: bin/kc.sh is missing`);
    }
    log(`using KEYCLOAK_HOME=${settings.keycloakHome}`);
    return settings.keycloakHome;
  }
  const home = join(settings.cacheDir, `keycloak-${settings.version}`);
  if (hasLauncher(home)) return home;

  if (!commandExists('mvn')) {
    throw new Error('Maven (mvn) is needed to download Keycloak; install it, or set KEYCLOAK_HOME or KEYCLOAK_URL');
  }
  const downloads = join(settings.cacheDir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const artifact = `org.keycloak:keycloak-quarkus-dist:${settings.version}:zip`;
  log(`downloading ${artifact} with Maven`);
  run(
    'mvn',
    ['-B', '-q', `${MAVEN_DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${artifact}`, `-DoutputDirectory=${downloads}`],
    `Maven download of ${artifact}`,
  );
  const zip = join(downloads, `keycloak-quarkus-dist-${settings.version}.zip`);
  if (!existsSync(zip)) throw new Error(`Maven reported success but ${zip} is missing`);

  // Unpack beside the target and rename, so an interrupted unzip never looks like a distribution.
  const staging = join(settings.cacheDir, `unpacking-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  if (commandExists('unzip')) run('unzip', ['-q', zip, '-d', staging], `unzip of ${zip}`);
  else run('python3', ['-m', 'zipfile', '-e', zip, staging], `unpacking ${zip}`);
  const [top] = readdirSync(staging);
  if (!top || !hasLauncher(join(staging, top))) throw new Error(`${zip} does not hold a Keycloak distribution`);
  for (const script of readdirSync(join(staging, top, 'bin'))) {
    if (script.endsWith('.sh')) chmodSync(join(staging, top, 'bin', script), 0o755);
  }
  renameSync(join(staging, top), home);
  rmSync(staging, { recursive: true, force: true });
  rmSync(zip, { force: true });
  log(`unpacked Keycloak ${settings.version} into ${home}`);
  return home;
}
