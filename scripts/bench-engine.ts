import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../e2e/keycloak/settings.ts';
import { auditRealm } from '../src/audit/index.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../src/audit/snapshot.ts';

/**
 * How long the pure engine takes, and how much memory it keeps, on a synthetic realm of 10,000 clients
 * shaped like a real one: built-in scopes, fixes on clients and in per-client scopes, broken fixes,
 * optional scopes, bearer-only and service-account clients. The engine is measured as it ships: this file
 * is bundled by Vite and the bundle runs in plain Node (with --expose-gc, for the memory figures). A loader
 * such as tsx rewrites every module it loads, bundles included, and wraps each closure in a naming helper:
 * under tsx the same engine took half as long again.
 */

const CLIENTS = 10_000;
const WARM_UP_RUNS = 5;
const MEASURED_RUNS = 25;
const GOAL_MS = 100;

const BUILT_IN_DEFAULTS = ['profile', 'email', 'roles', 'web-origins', 'acr', 'basic'];
const BUILT_IN_OPTIONALS = ['address', 'phone', 'offline_access', 'microprofile-jwt'];

/** The openid-connect mapper types a Keycloak 26.7 server deploys. */
const DEPLOYED_MAPPER_TYPES = [
  'oidc-claims-param-token-mapper',
  'oidc-usermodel-realm-role-mapper',
  'oidc-claims-param-value-idtoken-mapper',
  'oidc-usersessionmodel-note-mapper',
  'oidc-sub-mapper',
  'oidc-address-mapper',
  'oidc-organization-group-membership-mapper',
  'oidc-organization-membership-mapper',
  'oidc-role-name-mapper',
  'oidc-usermodel-client-role-mapper',
  'oidc-acr-mapper',
  'oidc-usermodel-property-mapper',
  'oidc-hardcoded-role-mapper',
  'oidc-nonce-backwards-compatible-mapper',
  'oidc-hardcoded-claim-mapper',
  'oidc-sha256-pairwise-sub-mapper',
  'oidc-amr-mapper',
  'oidc-full-name-mapper',
  'oidc-allowed-origins-mapper',
  'oidc-audience-mapper',
  'oidc-usermodel-attribute-mapper',
  'oidc-session-state-mapper',
  'oidc-group-membership-mapper',
  'oidc-audience-resolve-mapper',
];

function mapper(name: string, type: string, config: Record<string, string>): ProtocolMapperRep {
  return { id: `mapper-${name}`, name, protocol: 'openid-connect', protocolMapper: type, config };
}

const audienceMapper = (clientId: string, accessToken = 'true') =>
  mapper(`${clientId} audience`, 'oidc-audience-mapper', {
    'included.client.audience': clientId,
    'access.token.claim': accessToken,
    'introspection.token.claim': 'true',
  });

const claim = (type: string, claimName?: string) =>
  mapper(claimName ?? type, type, {
    ...(claimName ? { 'claim.name': claimName } : {}),
    'access.token.claim': 'true',
    'id.token.claim': 'true',
  });

/** The mappers of the client scopes a new Keycloak 26.7 realm has, by type and claim. */
const BUILT_IN_SCOPE_MAPPERS: Record<string, ProtocolMapperRep[]> = {
  profile: [
    claim('oidc-full-name-mapper'),
    ...[
      'picture',
      'zoneinfo',
      'birthdate',
      'updated_at',
      'gender',
      'given_name',
      'preferred_username',
      'website',
      'nickname',
      'profile',
      'locale',
      'family_name',
      'middle_name',
    ].map((name) => claim('oidc-usermodel-attribute-mapper', name)),
  ],
  email: [claim('oidc-usermodel-attribute-mapper', 'email'), claim('oidc-usermodel-property-mapper', 'email_verified')],
  roles: [
    claim('oidc-usermodel-realm-role-mapper', 'realm_access.roles'),
    claim('oidc-audience-resolve-mapper'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Keycloak's own claim name.
    claim('oidc-usermodel-client-role-mapper', 'resource_access.${client_id}.roles'),
  ],
  'web-origins': [claim('oidc-allowed-origins-mapper')],
  acr: [claim('oidc-acr-mapper')],
  basic: [claim('oidc-usersessionmodel-note-mapper', 'auth_time'), claim('oidc-sub-mapper')],
  address: [claim('oidc-address-mapper')],
  phone: [
    claim('oidc-usermodel-attribute-mapper', 'phone_number_verified'),
    claim('oidc-usermodel-attribute-mapper', 'phone_number'),
  ],
  offline_access: [],
  'microprofile-jwt': [
    claim('oidc-usermodel-realm-role-mapper', 'groups'),
    claim('oidc-usermodel-attribute-mapper', 'upn'),
  ],
  service_account: [
    claim('oidc-usersessionmodel-note-mapper', 'client_id'),
    claim('oidc-usersessionmodel-note-mapper', 'clientHost'),
    claim('oidc-usersessionmodel-note-mapper', 'clientAddress'),
  ],
};

function builtInScopes(): ClientScopeRep[] {
  return Object.entries(BUILT_IN_SCOPE_MAPPERS).map(([name, mappers]) => ({
    id: `scope-${name}`,
    name,
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'true' },
    protocolMappers: mappers,
  }));
}

/** Every tenth shape repeats: the realm mixes all of them. */
function syntheticSnapshot(count = CLIENTS): RealmSnapshot {
  const clients: ClientRep[] = [];
  const scopes = builtInScopes();
  for (let index = 0; index < count; index += 1) {
    const clientId = `app-${index}`;
    const client: ClientRep = {
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      clientId,
      protocol: 'openid-connect',
      enabled: true,
      publicClient: index % 7 === 0,
      standardFlowEnabled: true,
      fullScopeAllowed: true,
      attributes: {},
      defaultClientScopes: [...BUILT_IN_DEFAULTS],
      optionalClientScopes: [...BUILT_IN_OPTIONALS],
      protocolMappers: [],
    };
    const shape = index % 10;
    if (shape <= 2) client.protocolMappers = [audienceMapper(clientId)];
    if (shape === 3 || shape === 4) {
      scopes.push({
        id: `scope-${clientId}-audience`,
        name: `${clientId}-audience`,
        protocol: 'openid-connect',
        attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
        protocolMappers: [audienceMapper(clientId)],
      });
      (shape === 3 ? client.defaultClientScopes : client.optionalClientScopes)?.push(`${clientId}-audience`);
    }
    if (shape === 5) client.protocolMappers = [audienceMapper(clientId, 'false')];
    if (shape === 6) client.bearerOnly = true;
    if (shape === 7) {
      client.standardFlowEnabled = false;
      client.serviceAccountsEnabled = true;
      client.defaultClientScopes?.push('service_account');
    }
    clients.push(client);
  }
  return {
    realm: 'bench',
    keycloakVersion: '26.7.3',
    clients,
    clientScopes: scopes,
    mapperTypes: DEPLOYED_MAPPER_TYPES,
    scopeRoleRestrictions: {},
    clientPolicies: { policies: [], profiles: [] },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;

/** This file bundled the way the app and the CLI bundle src/audit, run in plain Node; its exit code. */
async function runBundled(): Promise<number> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'audience-doctor-engine-'));
  try {
    await build({
      configFile: false,
      root: repoRoot,
      logLevel: 'silent',
      publicDir: false,
      build: { ssr: join(repoRoot, 'scripts', 'bench-engine.ts'), outDir, target: 'node20', minify: false },
    });
    const child = spawnSync(process.execPath, ['--expose-gc', join(outDir, 'bench-engine.js')], {
      stdio: 'inherit',
      env: { ...process.env, [BUNDLED]: '1' },
    });
    return child.status ?? 1;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Set in the bundle's own process. */
const BUNDLED = 'AUDIENCE_DOCTOR_ENGINE_BENCH_BUNDLED';

function measure(): void {
  const before = heapMb();
  const snapshot = syntheticSnapshot();
  const withSnapshot = heapMb();

  for (let run = 0; run < WARM_UP_RUNS; run += 1) auditRealm(snapshot);
  const times: number[] = [];
  let peakDelta = 0;
  for (let run = 0; run < MEASURED_RUNS; run += 1) {
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const audit = auditRealm(snapshot);
    times.push(performance.now() - started);
    peakDelta = Math.max(peakDelta, (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
    if (audit.clients.length !== snapshot.clients.length) throw new Error('the engine lost clients');
  }
  const kept = auditRealm(snapshot);
  const withAudit = heapMb();

  const verdicts = new Map<string, number>();
  for (const client of kept.clients) verdicts.set(client.verdict, (verdicts.get(client.verdict) ?? 0) + 1);
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);

  console.log(
    `\nEngine: auditRealm, as bundled by Vite, on a synthetic realm (${new Date().toISOString()}, Node ${process.version})`,
  );
  console.log(
    `  realm: ${snapshot.clients.length} clients, ${snapshot.clientScopes.length} client scopes; verdicts ${JSON.stringify(Object.fromEntries(verdicts))}`,
  );
  console.log(
    `  time over ${MEASURED_RUNS} runs: median ${median.toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms  (goal < ${GOAL_MS} ms: ${median < GOAL_MS ? 'met' : 'MISSED'})`,
  );
  if (gc) {
    console.log(
      `  memory: snapshot ${(withSnapshot - before).toFixed(1)} MB, audit result kept ${(withAudit - withSnapshot).toFixed(1)} MB, heap growth during one run up to ${peakDelta.toFixed(1)} MB`,
    );
  } else {
    console.log('  memory: run with --expose-gc for the memory figures');
  }
}

async function main(): Promise<void> {
  if (process.env[BUNDLED] === '1') measure();
  else process.exitCode = await runBundled();
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
