import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { ensureKeycloak } from '../e2e/keycloak/harness.ts';
import { runningServer, stopServer } from '../e2e/keycloak/server.ts';
import { readSettings, serverUrl } from '../e2e/keycloak/settings.ts';
import { adminClientAs, countRequests, importLargeRealm } from '../e2e/support/admin-api.ts';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { createRemediationApi } from '../src/keycloak/remediation-api.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { findUserByUsername, generateExampleToken } from '../src/keycloak/tokens.ts';
import { DEFAULT_CONCURRENCY, executePlan } from '../src/remediation/execute.ts';
import { planFix } from '../src/remediation/plan.ts';
import { newRunId } from '../src/remediation/run-id.ts';
import type { Strategy } from '../src/remediation/types.ts';

/**
 * Against the harness's Keycloak: a realm of 500 confidential clients, none with an audience fix, made by
 * one realm import; then the fix of all of them applied through the executor, once per strategy, each on a
 * fresh import. Reported: the Admin API writes per client and the wall time of the apply, then a sampled
 * check with example tokens, a re-audit, and a second apply of the same plan (which must write nothing).
 */

const REALM = 'bench-fix';
const CLIENTS = 500;
const SAMPLES = 25;
const USERNAME = 'bench-fix-user';
const APPLY_GOAL_SECONDS = 60;
const WRITES_PER_CLIENT: Partial<Record<Strategy, number>> = { 'dedicated-mapper': 1, 'client-scope': 2 };

/** BENCH_FIX_CONCURRENCY=1,4,8 applies the dedicated strategy at each of these limits, each on a fresh realm. */
function concurrencies(): (number | undefined)[] {
  const raw = process.env.BENCH_FIX_CONCURRENCY?.trim();
  if (!raw) return [undefined];
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`BENCH_FIX_CONCURRENCY takes positive whole numbers, got "${part}"`);
    }
    return value;
  });
}

const clientIdAt = (index: number) => `fix-app-${String(index).padStart(3, '0')}`;

function benchRealm(): Record<string, unknown> {
  return {
    realm: REALM,
    enabled: true,
    users: [
      {
        username: USERNAME,
        enabled: true,
        firstName: 'Bench',
        lastName: 'User',
        email: `${USERNAME}@example.test`,
        emailVerified: true,
      },
    ],
    // No clientScopes here: a realm import that declares them would leave out Keycloak's built-in scopes.
    clients: Array.from({ length: CLIENTS }, (_, index) => {
      const clientId = clientIdAt(index);
      return {
        clientId,
        protocol: 'openid-connect',
        publicClient: false,
        secret: `${clientId}-secret`,
        standardFlowEnabled: true,
        redirectUris: [`http://localhost:4000/${clientId}/callback`],
      };
    }),
  };
}

async function dropRealm(admin: KcAdminClient): Promise<void> {
  if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Admin API reads and writes; the admin client's own sign-ins go elsewhere and are left out. */
function tally(requests: string[]): { reads: number; writes: number } {
  const admin = requests.filter((request) => request.split(' ')[1]?.startsWith('/admin/'));
  const reads = admin.filter((request) => request.startsWith('GET ')).length;
  return { reads, writes: admin.length - reads };
}

/** Evenly spread over the realm, first and last included. */
const sampleIndexes = () =>
  Array.from({ length: SAMPLES }, (_, index) => Math.round((index * (CLIENTS - 1)) / (SAMPLES - 1)));

interface RunFigures {
  strategy: Strategy;
  concurrency: number | undefined;
  importSeconds: number;
  planSeconds: number;
  steps: number;
  applySeconds: number;
  writes: number;
  reads: number;
  verifySeconds: number;
  verified: number;
  reauditSeconds: number;
  ok: number;
  rerunSeconds: number;
  rerunWrites: number;
  rerunReads: number;
  rerunStatus: string;
}

async function measure(admin: KcAdminClient, strategy: Strategy, concurrency: number | undefined): Promise<RunFigures> {
  await dropRealm(admin);
  let started = performance.now();
  await importLargeRealm(admin, benchRealm());
  const importSeconds = seconds(started);
  const user = await findUserByUsername(admin, REALM, USERNAME);
  if (!user) throw new Error(`the imported realm has no user ${USERNAME}`);

  started = performance.now();
  const snapshot = await loadSnapshot(admin, REALM);
  const audit = auditRealm(snapshot);
  const clientIds = Array.from({ length: CLIENTS }, (_, index) => clientIdAt(index));
  const plan = planFix(snapshot, audit, clientIds, { strategy, runId: newRunId() });
  const planSeconds = seconds(started);
  if (plan.fixes.length !== CLIENTS) {
    const why = plan.skipped[0] ? ` (first skipped: ${plan.skipped[0].clientId}: ${plan.skipped[0].reason})` : '';
    throw new Error(`${strategy}: the plan fixes ${plan.fixes.length} of ${CLIENTS} clients${why}`);
  }

  const api = createRemediationApi(admin);
  // A fresh token first, so that no sign-in falls inside the timed apply.
  await admin.getAccessToken();
  let applySeconds = 0;
  const applied = await countRequests(async () => {
    const applyStarted = performance.now();
    const result = await executePlan(api, plan, { concurrency });
    applySeconds = seconds(applyStarted);
    return result;
  });
  if (applied.result.status !== 'applied') {
    throw new Error(`${strategy}: the run ended "${applied.result.status}", not "applied": ${applied.result.message}`);
  }
  const { reads, writes } = tally(applied.requests);

  // Keycloak's own answer, for a sample: the token it would issue must carry the clientId.
  const uuids = new Map(snapshot.clients.map((client) => [client.clientId, client.id]));
  started = performance.now();
  let verified = 0;
  for (const index of sampleIndexes()) {
    const clientId = clientIdAt(index);
    const token = await generateExampleToken(admin, REALM, uuids.get(clientId) ?? '', user.id);
    if (token.aud.includes(clientId)) verified += 1;
  }
  const verifySeconds = seconds(started);

  started = performance.now();
  const reaudit = auditRealm(await loadSnapshot(admin, REALM));
  const reauditSeconds = seconds(started);
  const wanted = new Set(clientIds);
  const ok = reaudit.clients.filter((client) => wanted.has(client.clientId) && client.verdict === 'ok').length;

  await admin.getAccessToken();
  let rerunSeconds = 0;
  const rerun = await countRequests(async () => {
    const rerunStarted = performance.now();
    const result = await executePlan(api, plan, { concurrency });
    rerunSeconds = seconds(rerunStarted);
    return result;
  });
  const again = tally(rerun.requests);

  await dropRealm(admin);
  return {
    strategy,
    concurrency,
    importSeconds,
    planSeconds,
    steps: plan.steps.length,
    applySeconds,
    writes,
    reads,
    verifySeconds,
    verified,
    reauditSeconds,
    ok,
    rerunSeconds,
    rerunWrites: again.writes,
    rerunReads: again.reads,
    rerunStatus: rerun.result.status,
  };
}

/** What is wrong with a run's results, apart from its timing. */
function correctnessProblems(run: RunFigures): string[] {
  const label = `${run.strategy} at concurrency ${run.concurrency ?? DEFAULT_CONCURRENCY}`;
  const problems: string[] = [];
  const goal = WRITES_PER_CLIENT[run.strategy];
  if (goal !== undefined && run.writes !== goal * CLIENTS) {
    problems.push(`${label}: ${run.writes} writes, not ${goal * CLIENTS}`);
  }
  if (run.verified !== SAMPLES)
    problems.push(`${label}: ${run.verified} of ${SAMPLES} example tokens carry their clientId`);
  if (run.ok !== CLIENTS) problems.push(`${label}: the re-audit finds ${run.ok} of ${CLIENTS} clients ok`);
  if (run.rerunWrites !== 0 || run.rerunStatus !== 'nothing-to-do') {
    problems.push(`${label}: the re-run ended "${run.rerunStatus}" after ${run.rerunWrites} writes`);
  }
  return problems;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const url = serverUrl(settings);
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) {
    throw new Error(`the bench only talks to a Keycloak on this machine, not ${url}`);
  }
  const runs: [Strategy, number | undefined][] = [
    ...concurrencies().map((concurrency): [Strategy, number | undefined] => ['dedicated-mapper', concurrency]),
    ['client-scope', undefined],
  ];
  // The running harness server as it is (no fixture re-import), or one started here and stopped afterwards.
  const running = settings.externalUrl !== undefined || (await runningServer(settings)) !== undefined;
  const handle = running ? { url, startedHere: false } : await ensureKeycloak(settings);
  const results: RunFigures[] = [];
  try {
    const admin = await adminClientAs(settings.adminUsername, settings.adminPassword, 'master', handle.url);
    try {
      for (const [strategy, concurrency] of runs) results.push(await measure(admin, strategy, concurrency));
    } finally {
      await dropRealm(admin);
    }
  } finally {
    if (handle.startedHere) await stopServer(settings);
  }

  console.log(
    `\nFix of ${CLIENTS} clients against Keycloak ${settings.version} at ${handle.url} (${new Date().toISOString()})`,
  );
  console.log(
    `  one realm import per run; apply = executePlan (re-read, re-plan, writes); verify = ${SAMPLES} example tokens`,
  );
  console.log(
    [
      `  ${'strategy'.padEnd(16)}`,
      'conc',
      'import'.padStart(7),
      'plan'.padStart(7),
      'steps',
      'apply'.padStart(8),
      'writes/client',
      'reads',
      'verify'.padEnd(13),
      're-audit'.padEnd(17),
      're-run',
    ].join('  '),
  );
  for (const run of results) {
    const concurrency = run.concurrency === undefined ? `${DEFAULT_CONCURRENCY}*` : String(run.concurrency);
    const perClient = (run.writes / CLIENTS).toFixed(2);
    console.log(
      [
        `  ${run.strategy.padEnd(16)}`,
        concurrency.padStart(4),
        `${run.importSeconds.toFixed(1).padStart(5)} s`,
        `${run.planSeconds.toFixed(2).padStart(5)} s`,
        String(run.steps).padStart(5),
        `${run.applySeconds.toFixed(2).padStart(6)} s`,
        `${perClient} (${run.writes})`.padStart(13),
        String(run.reads).padStart(5),
        `${run.verified}/${SAMPLES} ${run.verifySeconds.toFixed(2).padStart(5)} s`,
        `${run.ok}/${CLIENTS} ok ${run.reauditSeconds.toFixed(2)} s`,
        `${run.rerunWrites} writes, ${run.rerunReads} reads ${run.rerunSeconds.toFixed(2)} s`,
      ].join('  '),
    );
  }
  console.log(`  * the executor's default concurrency`);

  for (const [strategy, goal] of Object.entries(WRITES_PER_CLIENT)) {
    const measured = results.filter((run) => run.strategy === strategy);
    if (measured.length === 0) continue;
    const met = measured.every((run) => run.writes === (goal ?? 0) * CLIENTS);
    console.log(`  goal, ${strategy}: ${goal} write${goal === 1 ? '' : 's'} per client: ${met ? 'met' : 'MISSED'}`);
  }
  const slowest = Math.max(...results.map((run) => run.applySeconds));
  console.log(
    `  goal, apply of ${CLIENTS} clients in at most ${APPLY_GOAL_SECONDS} s: ${slowest <= APPLY_GOAL_SECONDS ? 'met' : 'MISSED'} (slowest ${slowest.toFixed(2)} s)`,
  );
  const problems = results.flatMap(correctnessProblems);
  console.log(
    problems.length === 0
      ? `  checks: every run applied, ${SAMPLES}/${SAMPLES} tokens carry their clientId, ${CLIENTS}/${CLIENTS} ok after, re-run wrote nothing`
      : `  checks FAILED:\n${problems.map((problem) => `    ${problem}`).join('\n')}`,
  );
  // Only the time goal depends on the machine: wrong counts or a wrong fix fail the bench.
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
