/** What changes between Keycloak versions when the harness starts one: a pure function of the version. */
import { join } from 'node:path';

export interface KeycloakVersion {
  major: number;
  minor: number;
}

export function parseKeycloakVersion(version: string): KeycloakVersion {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?(?:[.-][\w.-]+)?$/.exec(version.trim());
  if (!match) throw new Error(`"${version}" is not a Keycloak version such as 26.7.5`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

const atLeast = (version: KeycloakVersion, major: number, minor: number) =>
  version.major > major || (version.major === major && version.minor >= minor);

export interface VersionTraits {
  /**
   * 25.0 moved health and metrics to a management interface of their own (ManagementPropertyMappers);
   * 24.x serves `/health/ready` on the main HTTP port and knows no `--http-management-port`.
   */
  managementInterface: boolean;
  /**
   * 26.0 reads the first master admin from KC_BOOTSTRAP_ADMIN_* (BootstrapAdminPropertyMappers);
   * 24.x and 25.x from KEYCLOAK_ADMIN / KEYCLOAK_ADMIN_PASSWORD (QuarkusKeycloakApplication.createAdminUser).
   */
  adminEnv: { username: string; password: string };
}

export function versionTraits(version: string): VersionTraits {
  const parsed = parseKeycloakVersion(version);
  if (parsed.major < 24) throw new Error(`Keycloak ${version} is older than 24.0, the oldest version the harness runs`);
  return {
    managementInterface: atLeast(parsed, 25, 0),
    adminEnv: atLeast(parsed, 26, 0)
      ? { username: 'KC_BOOTSTRAP_ADMIN_USERNAME', password: 'KC_BOOTSTRAP_ADMIN_PASSWORD' }
      : { username: 'KEYCLOAK_ADMIN', password: 'KEYCLOAK_ADMIN_PASSWORD' },
  };
}

export interface LaunchInput {
  version: string;
  httpPort: number;
  managementPort: number;
  adminUsername: string;
  adminPassword: string;
  /** The folder the H2 files are written to. */
  dataDir: string;
}

export interface LaunchPlan {
  args: string[];
  /** Added to the environment of `kc.sh`. */
  env: Record<string, string>;
  healthUrl: string;
  /** Null when the version serves health on the main port. */
  managementPort: number | null;
}

/** The `kc.sh` arguments, admin environment and readiness URL for one version. */
export function launchPlan(input: LaunchInput): LaunchPlan {
  const traits = versionTraits(input.version);
  const healthPort = traits.managementInterface ? input.managementPort : input.httpPort;
  return {
    args: [
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${input.httpPort}`,
      ...(traits.managementInterface ? [`--http-management-port=${input.managementPort}`] : []),
      '--health-enabled=true',
      '--proxy-headers=xforwarded',
      '--db=dev-file',
      // The H2 files live in our own data folder, so that each run can start from an empty one.
      `--db-url=jdbc:h2:file:${join(input.dataDir, 'h2', 'keycloakdb')};NON_KEYWORDS=VALUE`,
    ],
    env: { [traits.adminEnv.username]: input.adminUsername, [traits.adminEnv.password]: input.adminPassword },
    healthUrl: `http://127.0.0.1:${healthPort}/health/ready`,
    managementPort: traits.managementInterface ? input.managementPort : null,
  };
}
