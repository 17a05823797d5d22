import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Keycloak version the tests are run against; KEYCLOAK_VERSION may override it. */
export const PINNED_KEYCLOAK_VERSION = '26.7.5';
/** The other versions `npm run test:matrix` runs the Keycloak-judging specs against, oldest first. */
export const MATRIX_KEYCLOAK_VERSIONS: readonly string[] = ['24.0.5', '25.0.6', '26.0.8', '26.4.7', '26.7.3'];
/** Pinned so that the bare `dependency:` prefix never resolves to an old plugin. */
export const MAVEN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export interface HarnessSettings {
  version: string;
  /** An unpacked distribution to use instead of the cached one. */
  keycloakHome?: string;
  /** An already running server: nothing is started, fixtures are imported through the Admin API. */
  externalUrl?: string;
  httpPort: number;
  managementPort: number;
  adminUsername: string;
  adminPassword: string;
  keepData: boolean;
  startTimeoutMs: number;
  /** Holds the unpacked distributions and, per version, that version's data, state file and log. */
  cacheDir: string;
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535, got "${value}"`);
  }
  return parsed;
}

/** The version an unpacked distribution names in its `version.txt` ("Keycloak - Version 24.0.5"). */
export function distributionVersion(home: string): string | undefined {
  try {
    return /Version\s+(\S+)/.exec(readFileSync(join(home, 'version.txt'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): HarnessSettings {
  const timeoutSeconds = Number(env.KEYCLOAK_START_TIMEOUT ?? '240');
  const keycloakHome = env.KEYCLOAK_HOME || undefined;
  const homeVersion = keycloakHome ? distributionVersion(keycloakHome) : undefined;
  if (env.KEYCLOAK_VERSION && homeVersion && env.KEYCLOAK_VERSION !== homeVersion) {
    throw new Error(
      `KEYCLOAK_VERSION=${env.KEYCLOAK_VERSION} but KEYCLOAK_HOME=${keycloakHome} holds Keycloak ${homeVersion}`,
    );
  }
  return {
    // The start arguments depend on the version, so a KEYCLOAK_HOME speaks for its own.
    version: env.KEYCLOAK_VERSION || homeVersion || PINNED_KEYCLOAK_VERSION,
    keycloakHome,
    externalUrl: env.KEYCLOAK_URL ? env.KEYCLOAK_URL.replace(/\/+$/, '') : undefined,
    httpPort: port(env.KEYCLOAK_HTTP_PORT, 8080, 'KEYCLOAK_HTTP_PORT'),
    managementPort: port(env.KEYCLOAK_MANAGEMENT_PORT, 9000, 'KEYCLOAK_MANAGEMENT_PORT'),
    adminUsername: env.KC_BOOTSTRAP_ADMIN_USERNAME || 'admin',
    adminPassword: env.KC_BOOTSTRAP_ADMIN_PASSWORD || 'admin',
    keepData: env.KEYCLOAK_KEEP_DATA === '1' || env.KEYCLOAK_KEEP_DATA === 'true',
    startTimeoutMs: (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 240) * 1000,
    cacheDir: resolve(env.KEYCLOAK_CACHE_DIR || resolve(repoRoot, '.cache', 'keycloak')),
  };
}

/** The folder of one version's H2 data, server state and log: two versions never share them. */
export function versionDir(settings: HarnessSettings, version: string = settings.version): string {
  return join(settings.cacheDir, version);
}

/** Apps and redirect URIs say `localhost`: Keycloak 26.5+ treats only that name as loopback. */
export function serverUrl(settings: HarnessSettings): string {
  return settings.externalUrl ?? `http://localhost:${settings.httpPort}`;
}

export function log(message: string): void {
  process.stderr.write(`[keycloak] ${message}\n`);
}
