import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { type Browser, chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { dashboardClient } from '../e2e/keycloak/fixtures.ts';
import { repoRoot } from '../e2e/keycloak/settings.ts';
import { adminClientAs } from '../e2e/support/admin-api.ts';
import { lengthenTokenLifespan, passwordGrant, realmsCacheLabel, startBenchKeycloak } from './bench/keycloak.ts';
import { benchClientId, ensureBenchRealm } from './bench/realms.ts';
import {
  bestSetting,
  median,
  printAtSubjectSetting,
  printChecks,
  printFloor,
  printRuns,
  printSweeps,
  RATIO_GOAL,
  type ReadResult,
  referenceRead,
  SUBJECT_PAGE_SIZE,
  SUBJECT_SETTING,
  SWEEP,
  seconds,
  settingLabel,
  subjectPageSizeLabel,
  UNPAGED_GOAL,
  UNPAGED_GOAL_FROM,
} from './bench/reference.ts';

/**
 * The dashboard (production build) on the paging benchmarks' realms, in Chromium: from the Keycloak
 * login-form submit to the first painted row with its final verdict, and to the complete audit; next to
 * the reference reader's sweep in the same Chromium (plain fetch, a token of the same user and client) and
 * one unpaged GET /clients. Beside the goal's ratio, reported only: the complete audit counted from the first
 * Admin API request, which leaves out the sign-in (the login form's POST and the code exchange, each timed by the
 * browser and printed, and the app's load between them), and the goal's floor (printFloor). On the largest realm
 * also search / sort to render and the JS heap after GC.
 * Every figure is the median of BENCH_UI_RUNS warm runs after one discarded, subject and reference
 * alternating; "cold" is the first sign-in of each realm (a fresh browser context every sign-in).
 *
 * Knobs: BENCH_UI_SIZES=200 (default 2000,5000,10000), BENCH_UI_RUNS (default 3), BENCH_UI_UNPAGED=0,
 * BENCH_PAGE_SIZE=500 or =adaptive (the dashboard's clientsPageSize).
 */
const SIZES = (process.env.BENCH_UI_SIZES ?? '2000,5000,10000').split(',').map(Number);
const RUNS = Math.max(3, Number(process.env.BENCH_UI_RUNS ?? '3'));
const UNPAGED = process.env.BENCH_UI_UNPAGED !== '0';
const SAMPLES = 25;
const APP_PORT = Number(process.env.BENCH_UI_PORT ?? '4273');
const APP_URL = `http://localhost:${APP_PORT}/`;
/** The dashboard client of the bench: the shipped one, allowed on the bench's app port. */
const CLIENT_ID = 'audience-doctor-bench';
const OUT_DIR = join(repoRoot, '.cache', 'bench-ui-dist');
const FIRST_ROW_GOAL_MS = 1500;
const INTERACTION_GOAL_MS = 100;
const HEAP_GOAL_MB = 300;
const LOAD_TIMEOUT_MS = 900_000;

const log = (line: string) => process.stderr.write(`[bench-ui] ${line}\n`);

async function ensureBenchClient(admin: KcAdminClient): Promise<void> {
  const realm = 'master';
  for (const existing of await admin.clients.find({ realm, clientId: CLIENT_ID })) {
    if (existing.id) await admin.clients.del({ realm, id: existing.id });
  }
  await admin.clients.create({
    realm,
    ...dashboardClient(),
    clientId: CLIENT_ID,
    baseUrl: APP_URL,
    redirectUris: [APP_URL],
    webOrigins: [APP_URL.replace(/\/$/, '')],
    // Only for the reference reader's token: the same user and client as the dashboard's sign-in.
    directAccessGrantsEnabled: true,
    attributes: { ...dashboardClient().attributes, 'post.logout.redirect.uris': APP_URL },
  });
}

interface SignInFigures {
  firstRowMs: number;
  completeMs: number;
  /** When the first Admin API request left: what came before is the sign-in itself, not the read. */
  firstAdminRequestMs: number;
  /** Keycloak's own share of the sign-in, as the browser timed it: the login form's POST and the code exchange. */
  loginPostMs: number;
  codeExchangeMs: number;
}

/**
 * One sign-in in a fresh context: the clock runs from the click on Keycloak's Sign In to the first row
 * whose verdict is final (`tr[data-verdict]`, not "waiting"), and to `[data-read-state="complete"]`.
 */
async function signIn(
  browser: Browser,
  realm: string,
  user: [string, string],
  keep?: (page: Page) => Promise<void>,
): Promise<SignInFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${APP_URL}#/realms/${realm}/clients`);
    await page.getByLabel('Username or email').fill(user[0]);
    await page.getByLabel('Password', { exact: true }).fill(user[1]);
    const started = performance.now();
    let firstAdminRequestMs: number | undefined;
    let loginPostMs: number | undefined;
    let codeExchangeMs: number | undefined;
    page.on('requestfinished', (request) => {
      const { pathname } = new URL(request.url());
      const { responseEnd } = request.timing();
      if (request.method() !== 'POST') return;
      if (pathname.includes('/login-actions/authenticate')) loginPostMs = responseEnd;
      if (pathname.endsWith('/protocol/openid-connect/token')) codeExchangeMs ??= responseEnd;
    });
    page.on('request', (request) => {
      if (firstAdminRequestMs === undefined && new URL(request.url()).pathname.startsWith('/admin/realms')) {
        firstAdminRequestMs = performance.now() - started;
      }
    });
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.waitForURL((url) => url.href.startsWith(APP_URL), { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    const firstRow = page
      .waitForFunction(
        () => {
          const table = document.querySelector('table[aria-label="Clients"]');
          if (!table) return false;
          return table.querySelector('tr[data-verdict]:not([data-verdict="waiting"])') !== null;
        },
        undefined,
        { polling: 'raf', timeout: LOAD_TIMEOUT_MS },
      )
      .then(() => performance.now() - started);
    const complete = page
      .waitForFunction(
        () => {
          const state = document.querySelector('[data-read-state]')?.getAttribute('data-read-state');
          return state === 'complete' || state === 'failed' ? state : false;
        },
        undefined,
        { polling: 'raf', timeout: LOAD_TIMEOUT_MS },
      )
      .then(async (handle) => ({ ms: performance.now() - started, state: await handle.jsonValue() }));
    const [firstRowMs, done] = await Promise.all([firstRow, complete]).catch(async (error: unknown) => {
      const text = ((await page.textContent('body').catch(() => '')) ?? '').slice(0, 600);
      throw new Error(`${realm}: the audit never completed; the page said: ${text}`, { cause: error });
    });
    if (done.state === 'failed') throw new Error(`${realm}: the clients screen says data-read-state="failed"`);
    await page.getByRole('button', { name: benchClientId(1), exact: true }).waitFor();
    if (keep) await keep(page);
    if (firstAdminRequestMs === undefined) throw new Error(`${realm}: no Admin API request was seen`);
    if (loginPostMs === undefined || codeExchangeMs === undefined)
      throw new Error(`${realm}: the login form's POST or the code exchange was not seen`);
    return { firstRowMs, completeMs: done.ms, firstAdminRequestMs, loginPostMs, codeExchangeMs };
  } finally {
    await context.close();
  }
}

/**
 * Milliseconds from one user action (typing a search, or clicking a sort header) to the next painted frame
 * after the table body changed; measured inside the page, so no round trip to the test process counts.
 * The search figure includes the search box's debounce.
 */
function timeToRender(page: Page, action: { search: string } | { sortBy: string }): Promise<number> {
  return page.evaluate(async (act) => {
    const body = document.querySelector('table[aria-label="Clients"] tbody');
    if (!body) throw new Error('table not found');
    // Only inline callbacks in here: tsx wraps functions kept in variables in a helper the page lacks.
    const input = document.querySelector<HTMLInputElement>('input[placeholder="clientId or name"]');
    const header = [...document.querySelectorAll('th')].find(
      (cell) => 'sortBy' in act && cell.textContent?.includes(act.sortBy),
    );
    const sortTarget = header?.querySelector<HTMLElement>('[role="button"], button') ?? header;
    if ('search' in act ? !input : !sortTarget) throw new Error('search box or sort header not found');
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(body, { childList: true, subtree: true, characterData: true });
      // An action that leaves the visible page as it was shows as this 2 s cap.
      setTimeout(resolve, 2000);
    });
    const start = performance.now();
    if ('search' in act && input) {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, act.search);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else sortTarget?.click();
    await changed;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - start;
  }, action);
}

interface Interactions {
  search: number[];
  sort: number[];
  heapMb: number;
}

async function interactions(page: Page, size: number): Promise<Interactions> {
  const search: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    // A different client each time, so that every keystroke changes the rows.
    search.push(await timeToRender(page, { search: benchClientId((sample * 397) % size) }));
  }
  await page.getByLabel('Search clients').fill('');
  const sort: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) sort.push(await timeToRender(page, { sortBy: 'Client ID' }));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  return { search, sort, heapMb: heap.usedSize / 1024 / 1024 };
}

interface SizeFigures {
  size: number;
  realm: string;
  imported: boolean;
  cold: SignInFigures;
  firstRow: number[];
  complete: number[];
  /** From the first Admin API request to the complete audit. */
  read: number[];
  loginPost: number[];
  codeExchange: number[];
  sweep: Map<string, number[]>;
  /** The reference at the subject's setting in one kept context, its CORS preflights cached. */
  warmPreflights: number[];
  unpaged: number[];
  interactions?: Interactions;
}

async function measure(
  browser: Browser,
  admin: KcAdminClient,
  url: string,
  user: [string, string],
  size: number,
  largest: boolean,
): Promise<SizeFigures> {
  const prepared = await ensureBenchRealm(admin, size, log);
  const { realm } = prepared;
  const cold = await signIn(browser, realm, user);
  log(`${realm}: cold sign-in, first row ${seconds(cold.firstRowMs)}, complete ${seconds(cold.completeMs)}`);
  const figures: SizeFigures = {
    size,
    realm,
    imported: prepared.imported,
    cold,
    firstRow: [],
    complete: [],
    read: [],
    loginPost: [],
    codeExchange: [],
    sweep: new Map(SWEEP.map((setting) => [settingLabel(setting), []])),
    warmPreflights: [],
    unpaged: [],
  };
  // The reference reads from a page of the app's origin, so CORS treats it as the dashboard. Each read has a
  // context of its own, as each sign-in of the subject has: Keycloak lets a preflight be cached for an hour, so
  // in a kept context every page but the first round's went without one, which the subject never can (at
  // 5,000 clients, 100 × 4, a kept context read in 1.28 s, a fresh one in 1.74 s). The kept context still
  // reads once a round at the subject's setting, to show that difference.
  const keptContext = await browser.newContext();
  const kept = await keptContext.newPage();
  await kept.goto(`${APP_URL}config.json`);
  const readIn = async (page: Page, pageSize?: number, concurrency?: number): Promise<ReadResult> => {
    const token = await passwordGrant(url, CLIENT_ID, user[0], user[1]);
    return page.evaluate(referenceRead, { base: url, realm, token, pageSize, concurrency });
  };
  const read = async (pageSize?: number, concurrency?: number): Promise<ReadResult> => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${APP_URL}config.json`);
      return await readIn(page, pageSize, concurrency);
    } finally {
      await context.close();
    }
  };
  let expectedClients: number | undefined;
  const subject = async (keep: boolean) => {
    const run = await signIn(browser, realm, user);
    if (keep) {
      figures.firstRow.push(run.firstRowMs);
      figures.complete.push(run.completeMs);
      figures.read.push(run.completeMs - run.firstAdminRequestMs);
      figures.loginPost.push(run.loginPostMs);
      figures.codeExchange.push(run.codeExchangeMs);
    }
  };
  const reference = async (keep: boolean) => {
    for (const setting of SWEEP) {
      const result = await read(setting.pageSize, setting.concurrency);
      expectedClients ??= result.clients;
      if (result.clients !== expectedClients)
        throw new Error(`${realm}: ${settingLabel(setting)} read ${result.clients}`);
      if (keep) figures.sweep.get(settingLabel(setting))?.push(result.ms);
    }
    const warm = await readIn(kept, SUBJECT_SETTING.pageSize, SUBJECT_SETTING.concurrency);
    if (keep) figures.warmPreflights.push(warm.ms);
  };
  try {
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
    if (UNPAGED) {
      for (let run = 0; run <= RUNS; run += 1) {
        const result = await read();
        if (run > 0) figures.unpaged.push(result.ms);
        log(`${realm}: unpaged GET in Chromium ${seconds(result.ms)}${run > 0 ? '' : ' (discarded)'}`);
      }
    }
  } finally {
    await keptContext.close();
  }
  if (largest) {
    await signIn(browser, realm, user, async (page) => {
      figures.interactions = await interactions(page, size);
    });
  }
  return figures;
}

function report(results: SizeFigures[], header: string): boolean {
  console.log(`\n${header}`);
  printSweeps(results, ' in Chromium');
  console.log(
    '\n  clients  cold first row / complete  first row  complete  paged read (best)   ratio  unpaged GET  complete/unpaged' +
      '  from 1st admin request  ratio',
  );
  const checks: [string, boolean][] = [];
  for (const figures of results) {
    const best = bestSetting(figures.sweep);
    const firstRow = median(figures.firstRow);
    const complete = median(figures.complete);
    const ratio = complete / best.ms;
    const unpaged = median(figures.unpaged);
    const unpagedRatio = complete / unpaged;
    const row = [
      String(figures.size).padStart(7),
      `${seconds(figures.cold.firstRowMs)} / ${seconds(figures.cold.completeMs)}`.padStart(25),
      seconds(firstRow).padStart(10),
      seconds(complete).padStart(9),
      `${seconds(best.ms)} (${best.label})`.padStart(18),
      ratio.toFixed(2).padStart(6),
      (figures.unpaged.length ? seconds(unpaged) : '-').padStart(12),
      (figures.unpaged.length ? unpagedRatio.toFixed(3) : '-').padStart(17),
      seconds(median(figures.read)).padStart(23),
      (median(figures.read) / best.ms).toFixed(2).padStart(6),
    ];
    console.log(`  ${row.join(' ')}`);
    checks.push([
      `${figures.size}: submit to first row with its final verdict ≤ ${seconds(FIRST_ROW_GOAL_MS)} (${seconds(firstRow)})`,
      firstRow <= FIRST_ROW_GOAL_MS,
    ]);
    checks.push([
      `${figures.size}: submit to complete audit ≤ ${RATIO_GOAL} × the paged read (${ratio.toFixed(2)})`,
      ratio <= RATIO_GOAL,
    ]);
    if (figures.unpaged.length && figures.size >= UNPAGED_GOAL_FROM) {
      checks.push([
        `${figures.size}: complete audit ≤ ${UNPAGED_GOAL} × one unpaged GET /clients (${unpagedRatio.toFixed(3)})`,
        unpagedRatio <= UNPAGED_GOAL,
      ]);
    }
    const measured = figures.interactions;
    if (measured) {
      const search = median(measured.search);
      const sort = median(measured.sort);
      console.log(
        `  ${figures.size} rows: search keystroke to render median ${search.toFixed(1)} ms (max ${Math.max(...measured.search).toFixed(1)}), ` +
          `sort click to render median ${sort.toFixed(1)} ms (max ${Math.max(...measured.sort).toFixed(1)}), ${SAMPLES} samples each; ` +
          `JS heap after GC ${measured.heapMb.toFixed(1)} MB`,
      );
      checks.push([
        `${figures.size}: search to render median < ${INTERACTION_GOAL_MS} ms (${search.toFixed(1)})`,
        search < INTERACTION_GOAL_MS,
      ]);
      checks.push([
        `${figures.size}: sort to render median < ${INTERACTION_GOAL_MS} ms (${sort.toFixed(1)})`,
        sort < INTERACTION_GOAL_MS,
      ]);
      checks.push([
        `${figures.size}: JS heap after GC < ${HEAP_GOAL_MB} MB (${measured.heapMb.toFixed(1)})`,
        measured.heapMb < HEAP_GOAL_MB,
      ]);
    }
  }
  for (const figures of results) {
    printAtSubjectSetting(figures.size, figures.sweep, [
      ['the complete audit', figures.complete],
      ['from the 1st admin request', figures.read],
    ]);
    printFloor(figures.size, 'submit to complete audit', figures.sweep, [
      ["the login form's POST", figures.loginPost],
      ['the code exchange', figures.codeExchange],
    ]);
    const fresh = figures.sweep.get(settingLabel(SUBJECT_SETTING)) ?? [];
    if (figures.warmPreflights.length && fresh.length) {
      console.log(
        `  ${figures.size}: the reference at ${settingLabel(SUBJECT_SETTING)} in a kept context (CORS preflights cached) ` +
          `${seconds(median(figures.warmPreflights))}, in a fresh one ${seconds(median(fresh))}`,
      );
    }
  }
  for (const figures of results) {
    const best = bestSetting(figures.sweep);
    printRuns(figures.realm, [
      ['first row', figures.firstRow],
      ['complete', figures.complete],
      ['from 1st admin request', figures.read],
      ["login form's POST", figures.loginPost],
      ['code exchange', figures.codeExchange],
      [`paged read (${best.label})`, figures.sweep.get(best.label) ?? []],
      [`kept context ${settingLabel(SUBJECT_SETTING)}`, figures.warmPreflights],
      ['unpaged GET', figures.unpaged],
    ]);
  }
  return printChecks(checks);
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('BENCH_UI_SIZES: whole numbers');
  const keycloak = await startBenchKeycloak();
  const { adminUsername, adminPassword } = keycloak.settings;
  const user: [string, string] = [adminUsername, adminPassword];
  let closePreview = async () => {};
  let browser: Browser | undefined;
  try {
    const admin = await adminClientAs(adminUsername, adminPassword, 'master', keycloak.url);
    await lengthenTokenLifespan(admin);
    await ensureBenchClient(admin);
    // The production build, served by vite preview, with a config.json of the bench's own.
    await build({ root: repoRoot, logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true } });
    writeFileSync(
      join(OUT_DIR, 'config.json'),
      `${JSON.stringify({ keycloakUrl: keycloak.url, realm: 'master', clientId: CLIENT_ID, adminConsoleUrl: `${keycloak.url}/admin/`, clientsPageSize: SUBJECT_PAGE_SIZE }, null, 2)}\n`,
    );
    const server = await preview({
      root: repoRoot,
      logLevel: 'warn',
      build: { outDir: OUT_DIR },
      preview: { port: APP_PORT, strictPort: true, host: 'localhost' },
    });
    closePreview = () => server.close();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const results: SizeFigures[] = [];
    const largest = Math.max(...SIZES);
    for (const size of SIZES) results.push(await measure(browser, admin, keycloak.url, user, size, size === largest));
    const header =
      `Dashboard (production build, ${APP_URL}) in Chromium ${browser.version()} against Keycloak at ${keycloak.url} ` +
      `(${new Date().toISOString()}, ${realmsCacheLabel(keycloak)}, ${subjectPageSizeLabel()}); signed in to master as ${adminUsername}; medians of ${RUNS} warm runs after ` +
      '1 discarded, subject and reference alternating; reference: plain fetch in a page of the app origin';
    const ok = report(results, header);
    console.log(`\n  bench total time ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
    if (!ok) process.exitCode = 1;
  } finally {
    await browser?.close();
    await closePreview();
    await keycloak.release();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
