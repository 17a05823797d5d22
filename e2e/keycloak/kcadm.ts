import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HarnessSettings } from './settings.ts';

/** The kcadm.sh of the distribution the harness runs: KEYCLOAK_HOME's, else the cached one's. */
export function kcadmPath(settings: HarnessSettings): string {
  const home = settings.keycloakHome ?? join(settings.cacheDir, `keycloak-${settings.version}`);
  return join(home, 'bin', 'kcadm.sh');
}

/** Why `path` cannot be run as kcadm.sh, or undefined when it can. */
export function kcadmProblem(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return `${path} is missing`;
  }
  if (!stats.isFile()) return `${path} is not a file`;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `${path} is not executable`;
  }
  return undefined;
}

export type KcadmGate = { kind: 'run' } | { kind: 'skip' | 'fail'; reason: string };

/**
 * Whether the kcadm.sh specs run. Without a usable kcadm.sh they are skipped on a workstation, but
 * fail in CI (CI set, as Playwright reads it): there the kcadm.sh proof must never pass by not running.
 */
export function kcadmGate(path: string, env: NodeJS.ProcessEnv = process.env): KcadmGate {
  const problem = kcadmProblem(path);
  if (!problem) return { kind: 'run' };
  const need = `kcadm.sh needs an unpacked Keycloak distribution (KEYCLOAK_HOME, or "tsx e2e/keycloak/cli.ts fetch"): ${problem}`;
  if (env.CI) return { kind: 'fail', reason: `CI must run the kcadm.sh script against Keycloak, but ${need}` };
  return { kind: 'skip', reason: need };
}
