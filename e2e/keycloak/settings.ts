import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Keycloak version the tests are run against; KEYCLOAK_VERSION may override it. */
export const PINNED_KEYCLOAK_VERSION = '26.7.3';
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

export function readSettings(env: NodeJS.ProcessEnv = process.env): HarnessSettings {
  const timeoutSeconds = Number(env.KEYCLOAK_START_TIMEOUT ?? '240');
  return {
    version: env.KEYCLOAK_VERSION || PINNED_KEYCLOAK_VERSION,
    keycloakHome: env.KEYCLOAK_HOME || undefined,
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

/** Apps and redirect URIs say `localhost`: Keycloak 26.5+ treats only that name as loopback. */
export function serverUrl(settings: HarnessSettings): string {
  return settings.externalUrl ?? `http://localhost:${settings.httpPort}`;
}

export function log(message: string): void {
  process.stderr.write(`[keycloak] ${message}\n`);
}
