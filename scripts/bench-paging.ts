import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { repoRoot } from '../e2e/keycloak/settings.ts';
import { adminClientAs, countRequests } from '../e2e/support/admin-api.ts';
import { readAudited } from '../src/keycloak/audited-read.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { lengthenTokenLifespan, passwordGrant, realmsCacheLabel, startBenchKeycloak } from './bench/keycloak.ts';
import { benchClientId, ensureBenchRealm, WITH_SCOPE_EVERY } from './bench/realms.ts';
import {
  bestSetting,
  median,
  printAtSubjectSetting,
  printChecks,
  printFloor,
  printRuns,
  printSweeps,
  RATIO_GOAL,
  referenceRead,
  SUBJECT_PAGE_SIZE,
  SWEEP,
  seconds,
  settingLabel,
  subjectPageSizeLabel,
  UNPAGED_GOAL,
  UNPAGED_GOAL_FROM,
} from './bench/reference.ts';

/**
 * Paged reads in Node: per realm size, the subject (readAudited from src, as the CLI runs it in a pipeline: the
 * snapshot, then its audit) next to the reference reader's sweep of page sizes × concurrency (its best setting is
 * "the paged read") and one unpaged GET /clients; at BENCH_PAGING_CLI_SIZE also the built CLI, `audit --format json`, as a child
 * process. Every figure is the median of BENCH_PAGING_RUNS warm runs after one discarded run, subject and
 * reference alternating which goes first; "cold" is the subject's first read (after the import, or after
 * the server start when the realm was kept).
 *
 * Knobs: BENCH_PAGING_SIZES=200 (default 2000,5000,10000), BENCH_PAGING_RUNS (default 3),
 * BENCH_PAGING_CLI_SIZE (default 5000, else the largest size), BENCH_PAGING_UNPAGED=0 skips the unpaged GET,
 * BENCH_PAGE_SIZE=500 or =adaptive gives the subject (and the CLI) that page size.
 */
const SIZES = (process.env.BENCH_PAGING_SIZES ?? '2000,5000,10000').split(',').map(Number);
const RUNS = Math.max(3, Number(process.env.BENCH_PAGING_RUNS ?? '3'));
const CLI_SIZE = Number(process.env.BENCH_PAGING_CLI_SIZE ?? (SIZES.includes(5000) ? 5000 : Math.max(...SIZES)));
const UNPAGED = process.env.BENCH_PAGING_UNPAGED !== '0';
const CLI = join(repoRoot, 'dist-cli', 'main.js');

interface SizeFigures {
  size: number;
  realm: string;
  importSeconds: number | undefined;
  coldMs: number;
  coldAfter: string;
  subject: number[];
  /** This process's CPU time (user + system) during each subject run, and each reference run by setting. */
  subjectCpu: number[];
  sweep: Map<string, number[]>;
  sweepCpu: Map<string, number[]>;
  unpaged: number[];
  cli: number[];
  /** What the CLI cannot do without, timed beside each CLI run: Node's start and admin-cli's password grant. */
  nodeStart: number[];
  passwordGrant: number[];
  requests: number;
  verdicts: string;
}

function log(line: string): void {
  process.stderr.write(`[bench-paging] ${line}\n`);
}

/**
 * This process's CPU time so far: on this 2-core machine what the subject computes is taken from the Keycloak
 * it reads, so its CPU beside the reference's tells a slow subject from a slow server.
 */
function cpuMsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function subjectRun(admin: KcAdminClient, realm: string, size: number) {
  await admin.getAccessToken(); // a sign-in due now happens before the clock starts
  const started = performance.now();
  const cpuBefore = cpuMsNow();
  const { audit } = await readAudited(admin, realm, { pageSize: SUBJECT_PAGE_SIZE });
  const ms = performance.now() - started;
  const cpuMs = cpuMsNow() - cpuBefore;
  const audited = audit.clients.filter((client) => /^app-\d{5}$/.test(client.clientId));
  if (audited.length !== size) throw new Error(`${realm}: the subject audited ${audited.length} of ${size} clients`);
  return { ms, cpuMs, audited };
}

async function referenceRun(admin: KcAdminClient, url: string, realm: string, pageSize?: number, concurrency?: number) {
  const token = await admin.getAccessToken();
  const result = await referenceRead({ base: url, realm, token: token ?? '', pageSize, concurrency });
  return result;
}

/** The CLI as a user runs it; its wall time includes Node's start and its own sign-in. */
function cliRun(url: string, realm: string, username: string, password: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [CLI, 'audit', '--url', url, '--realm', realm, '--format', 'json', '--fail-on', 'none'];
    if (SUBJECT_PAGE_SIZE !== undefined) args.push('--page-size', String(SUBJECT_PAGE_SIZE));
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, AUDIENCE_DOCTOR_USERNAME: username, AUDIENCE_DOCTOR_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`CLI exited ${code}: ${Buffer.concat(err).toString().slice(0, 400)}`));
        return;
      }
      const text = Buffer.concat(out).toString();
      const count = (text.match(/"clientId":\s*"app-\d{5}"/g) ?? []).length;
      if (count < size) reject(new Error(`the CLI's JSON names ${count} of ${size} bench clients`));
      else resolve(ms);
    });
  });
}

/** Node starting and ending with nothing to do: the least a CLI run costs. */
function nodeStartRun(): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (run.status !== 0) throw new Error('node -e "" failed');
  return performance.now() - started;
}

/** The CLI's sign-in alone: admin-cli's password grant in master. */
async function passwordGrantRun(url: string, username: string, password: string): Promise<number> {
  const started = performance.now();
  await passwordGrant(url, 'admin-cli', username, password);
  return performance.now() - started;
}

async function measure(
  admin: KcAdminClient,
  url: string,
  credentials: [string, string],
  size: number,
  serverStartedHere: boolean,
): Promise<SizeFigures> {
  const prepared = await ensureBenchRealm(admin, size, log);
  const { realm } = prepared;
  const cold = await subjectRun(admin, realm, size);
  const coldAfter = prepared.imported ? 'import' : serverStartedHere ? 'server start' : 'warm server';
  log(`${realm}: cold subject ${seconds(cold.ms)}`);
  const verdicts = new Map<string, number>();
  for (const client of cold.audited) verdicts.set(client.verdict, (verdicts.get(client.verdict) ?? 0) + 1);

  const withCli = size === CLI_SIZE;
  const figures: SizeFigures = {
    size,
    realm,
    importSeconds: prepared.imported ? prepared.importSeconds : undefined,
    coldMs: cold.ms,
    coldAfter,
    subject: [],
    subjectCpu: [],
    sweep: new Map(SWEEP.map((setting) => [settingLabel(setting), []])),
    sweepCpu: new Map(SWEEP.map((setting) => [settingLabel(setting), []])),
    unpaged: [],
    cli: [],
    nodeStart: [],
    passwordGrant: [],
    requests: 0,
    verdicts: JSON.stringify(Object.fromEntries(verdicts)),
  };
  let expectedClients: number | undefined;
  const subject = async (keep: boolean) => {
    const { ms, cpuMs } = await subjectRun(admin, realm, size);
    if (keep) {
      figures.subject.push(ms);
      figures.subjectCpu.push(cpuMs);
    }
    if (withCli) {
      const cliMs = await cliRun(url, realm, credentials[0], credentials[1], size);
      const nodeStartMs = nodeStartRun();
      const grantMs = await passwordGrantRun(url, credentials[0], credentials[1]);
      if (keep) {
        figures.cli.push(cliMs);
        figures.nodeStart.push(nodeStartMs);
        figures.passwordGrant.push(grantMs);
      }
    }
  };
  const reference = async (keep: boolean) => {
    for (const setting of SWEEP) {
      const cpuBefore = cpuMsNow();
      const result = await referenceRun(admin, url, realm, setting.pageSize, setting.concurrency);
      const cpuMs = cpuMsNow() - cpuBefore;
      expectedClients ??= result.clients;
      if (result.clients !== expectedClients) {
        throw new Error(`${realm}: ${settingLabel(setting)} read ${result.clients} clients, not ${expectedClients}`);
      }
      if (keep) {
        figures.sweep.get(settingLabel(setting))?.push(result.ms);
        figures.sweepCpu.get(settingLabel(setting))?.push(cpuMs);
      }
    }
  };
  // Round 0 is discarded; then the order alternates, so that neither side always finds warmer caches.
  for (let round = 0; round <= RUNS; round += 1) {
    const keep = round > 0;
    if (round % 2 === 0) {
      await subject(keep);
      await reference(keep);
    } else {
      await reference(keep);
      await subject(keep);
    }
    log(`${realm}: round ${round}${keep ? '' : ' (discarded)'} done`);
  }
  await admin.getAccessToken();
  const counted = await countRequests(() => loadSnapshot(admin, realm));
  figures.requests = counted.requests.length;
  if (UNPAGED) {
    for (let run = 0; run <= RUNS; run += 1) {
      const result = await referenceRun(admin, url, realm);
      if (result.clients !== expectedClients)
        throw new Error(`${realm}: the unpaged GET read ${result.clients} clients`);
      if (run > 0) figures.unpaged.push(result.ms);
      log(`${realm}: unpaged GET ${seconds(result.ms)}${run > 0 ? '' : ' (discarded)'}`);
    }
  }
  return figures;
}

function report(results: SizeFigures[], header: string): boolean {
  console.log(`\n${header}`);
  printSweeps(results, '');
  console.log(
    '\n  clients  import    cold (after)               subject   paged read (best)    ratio  unpaged GET  subject/unpaged  CLI json  CLI/paged  requests',
  );
  const checks: [string, boolean][] = [];
  for (const figures of results) {
    const best = bestSetting(figures.sweep);
    const subject = median(figures.subject);
    const ratio = subject / best.ms;
    const unpaged = median(figures.unpaged);
    const unpagedRatio = subject / unpaged;
    const cli = median(figures.cli);
    const cliRatio = cli / best.ms;
    const row = [
      String(figures.size).padStart(7),
      (figures.importSeconds === undefined ? 'kept' : `${figures.importSeconds.toFixed(0)} s`).padStart(7),
      `${seconds(figures.coldMs)} (${figures.coldAfter})`.padEnd(26),
      seconds(subject).padStart(8),
      `${seconds(best.ms)} (${best.label})`.padStart(19),
      ratio.toFixed(2).padStart(6),
      (figures.unpaged.length ? seconds(unpaged) : '-').padStart(12),
      (figures.unpaged.length ? unpagedRatio.toFixed(3) : '-').padStart(16),
      (figures.cli.length ? seconds(cli) : '-').padStart(9),
      (figures.cli.length ? cliRatio.toFixed(2) : '-').padStart(10),
      String(figures.requests).padStart(9),
    ];
    console.log(`  ${row.join(' ')}`);
    checks.push([
      `${figures.size}: subject ≤ ${RATIO_GOAL} × the paged read (${ratio.toFixed(2)})`,
      ratio <= RATIO_GOAL,
    ]);
    if (figures.unpaged.length && figures.size >= UNPAGED_GOAL_FROM) {
      checks.push([
        `${figures.size}: subject ≤ ${UNPAGED_GOAL} × one unpaged GET /clients (${unpagedRatio.toFixed(3)})`,
        unpagedRatio <= UNPAGED_GOAL,
      ]);
    }
    if (figures.cli.length) {
      checks.push([
        `${figures.size}: CLI audit --format json ≤ ${RATIO_GOAL} × the paged read (${cliRatio.toFixed(2)})`,
        cliRatio <= RATIO_GOAL,
      ]);
    }
  }
  for (const figures of results) {
    printAtSubjectSetting(figures.size, figures.sweep, [
      ['the subject', figures.subject],
      ['the CLI', figures.cli],
    ]);
    if (figures.cli.length) {
      printFloor(figures.size, 'CLI audit --format json', figures.sweep, [
        ["Node's start", figures.nodeStart],
        ["admin-cli's password grant", figures.passwordGrant],
      ]);
    }
  }
  for (const figures of results) {
    const best = bestSetting(figures.sweep);
    printRuns(figures.realm, [
      ['subject', figures.subject],
      ['subject CPU', figures.subjectCpu],
      [`paged read (${best.label})`, figures.sweep.get(best.label) ?? []],
      [`paged read (${best.label}) CPU`, figures.sweepCpu.get(best.label) ?? []],
      ['CLI json', figures.cli],
      ["Node's start", figures.nodeStart],
      ['password grant', figures.passwordGrant],
      ['unpaged GET', figures.unpaged],
    ]);
  }
  for (const figures of results) console.log(`  ${figures.size} clients, verdicts: ${figures.verdicts}`);
  return printChecks(checks);
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('BENCH_PAGING_SIZES: whole numbers');
  if (SIZES.includes(CLI_SIZE)) {
    // The CLI as shipped: the bundle `npm run build:cli` writes.
    const built = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: 'inherit' });
    if (built.status !== 0 || !existsSync(CLI)) throw new Error('npm run build:cli failed');
  }
  const keycloak = await startBenchKeycloak();
  const results: SizeFigures[] = [];
  try {
    const { adminUsername, adminPassword } = keycloak.settings;
    const admin = await adminClientAs(adminUsername, adminPassword, 'master', keycloak.url);
    await lengthenTokenLifespan(admin);
    const info = await admin.serverInfo.find();
    let failed = false;
    for (const size of SIZES) {
      // One size failing (a server hiccup at 10,000 clients) must not lose the figures of the others.
      try {
        results.push(await measure(admin, keycloak.url, [adminUsername, adminPassword], size, keycloak.startedHere));
      } catch (error) {
        failed = true;
        log(`${size} clients: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const header =
      `Paged reads in Node ${process.version} against Keycloak ${info.systemInfo?.version} at ${keycloak.url} ` +
      `(${new Date().toISOString()}, ${realmsCacheLabel(keycloak)}, ${subjectPageSizeLabel()}); master admin token; ${100 / WITH_SCOPE_EVERY} % of the clients ` +
      `(${benchClientId(0)}, ${benchClientId(WITH_SCOPE_EVERY)}…) with their own audience scope; medians of ` +
      `${RUNS} warm runs after 1 discarded, subject and reference alternating; CLI: node dist-cli/main.js`;
    const ok = report(results, header);
    console.log(`\n  bench total time ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
    if (!ok || failed) process.exitCode = 1;
  } finally {
    await keycloak.release();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
