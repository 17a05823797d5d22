import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { type Browser, chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { dashboardClient } from '../e2e/keycloak/fixtures.ts';
import { repoRoot } from '../e2e/keycloak/settings.ts';
import { adminClientAs } from '../e2e/support/admin-api.ts';
import { lengthenTokenLifespan, startBenchKeycloak } from './bench/keycloak.ts';
import { benchClientId, ensureBenchRealm } from './bench/realms.ts';
import { median, printChecks } from './bench/reference.ts';

/**
 * The trust map (production build) in Chromium on the bench realm of BENCH_TRUST_SIZE clients (default 2,000):
 * from a click on "Trust map" with the realm already read to the first painted cell, and from a keystroke in the
 * caller filter to the next painted frame after the map changed. Medians of BENCH_TRUST_RUNS (at least 3) warm
 * runs after one discarded; every run of the filter is BENCH_TRUST_SAMPLES keystrokes.
 */
const SIZE = Number(process.env.BENCH_TRUST_SIZE ?? '2000');
const RUNS = Math.max(3, Number(process.env.BENCH_TRUST_RUNS ?? '5'));
const SAMPLES = Math.max(1, Number(process.env.BENCH_TRUST_SAMPLES ?? '10'));
const APP_PORT = Number(process.env.BENCH_TRUST_PORT ?? '4274');
const APP_URL = `http://localhost:${APP_PORT}/`;
/** Its own dashboard client and port, so that it never disturbs the other UI bench. */
const CLIENT_ID = 'audience-doctor-bench-trust';
const OUT_DIR = join(repoRoot, '.cache', 'bench-trust-dist');
const FIRST_CELL_GOAL_MS = 1000;
const FILTER_GOAL_MS = 200;
const LOAD_TIMEOUT_MS = 900_000;

const log = (line: string) => process.stderr.write(`[bench-trust-map] ${line}\n`);

async function ensureBenchClient(admin: KcAdminClient): Promise<void> {
  for (const existing of await admin.clients.find({ realm: 'master', clientId: CLIENT_ID })) {
    if (existing.id) await admin.clients.del({ realm: 'master', id: existing.id });
  }
  await admin.clients.create({
    realm: 'master',
    ...dashboardClient(),
    clientId: CLIENT_ID,
    baseUrl: APP_URL,
    redirectUris: [APP_URL],
    webOrigins: [APP_URL.replace(/\/$/, '')],
    attributes: { ...dashboardClient().attributes, 'post.logout.redirect.uris': APP_URL },
  });
}

/** Signs in on the clients screen and waits until the whole realm is read. */
async function signIn(browser: Browser, realm: string, user: [string, string]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${APP_URL}#/realms/${realm}/clients`);
  await page.getByLabel('Username or email').fill(user[0]);
  await page.getByLabel('Password', { exact: true }).fill(user[1]);
  await page.getByRole('button', { name: 'Sign In' }).click();
  await page.waitForFunction(() => document.querySelector('[data-read-state]')?.getAttribute('data-read-state'), {
    polling: 'raf',
    timeout: LOAD_TIMEOUT_MS,
  });
  await page.waitForSelector('[data-read-state="complete"]', { timeout: LOAD_TIMEOUT_MS });
  return page;
}

/**
 * Milliseconds from the click on the "Trust map" link to the frame after the first cell is in the DOM, measured
 * in the page. The clients screen is shown again first, so every run builds the map anew.
 */
async function timeToFirstCell(page: Page): Promise<number> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Clients' }).click();
  await page.waitForSelector('table[aria-label="Clients"]');
  return page.evaluate(async () => {
    // Only inline callbacks in here: tsx wraps functions kept in variables in a helper the page lacks.
    const link = [...document.querySelectorAll<HTMLAnchorElement>('nav[aria-label="Screens"] a')].find(
      (anchor) => anchor.textContent === 'Trust map',
    );
    if (!link) throw new Error('no "Trust map" link');
    const painted = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-trust-cell]')) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const start = performance.now();
    link.click();
    await painted;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - start;
  });
}

/** Milliseconds from setting the caller filter to the frame after the map's body changed. */
function timeToFilter(page: Page, text: string): Promise<number> {
  return page.evaluate(async (value) => {
    const label = [...document.querySelectorAll('label')].find((item) => item.textContent === 'Filter callers (rows)');
    const input = label ? document.getElementById(label.htmlFor) : null;
    const body = document.querySelector('table[aria-label="Trust map"]');
    if (!(input instanceof HTMLInputElement) || !body) throw new Error('filter or map not found');
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(body, { childList: true, subtree: true, characterData: true, attributes: true });
      // A keystroke that leaves the map as it was shows as this 2 s cap.
      setTimeout(resolve, 2000);
    });
    const start = performance.now();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await changed;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - start;
  }, text);
}

async function main(): Promise<void> {
  if (!Number.isInteger(SIZE) || SIZE < 1) throw new Error('BENCH_TRUST_SIZE: a whole number');
  const keycloak = await startBenchKeycloak();
  const { adminUsername, adminPassword } = keycloak.settings;
  let closePreview = async () => {};
  let browser: Browser | undefined;
  try {
    const admin = await adminClientAs(adminUsername, adminPassword, 'master', keycloak.url);
    await lengthenTokenLifespan(admin);
    await ensureBenchClient(admin);
    const { realm } = await ensureBenchRealm(admin, SIZE, log);
    await build({ root: repoRoot, logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true } });
    writeFileSync(
      join(OUT_DIR, 'config.json'),
      `${JSON.stringify({ keycloakUrl: keycloak.url, realm: 'master', clientId: CLIENT_ID }, null, 2)}\n`,
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
    const page = await signIn(browser, realm, [adminUsername, adminPassword]);
    log(`${realm}: read; measuring`);

    const firstCell: number[] = [];
    const filter: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const keep = run > 0;
      const ms = await timeToFirstCell(page);
      const samples: number[] = [];
      for (let sample = 0; sample < SAMPLES; sample += 1) {
        // A different client each time, so that every keystroke changes the map.
        samples.push(await timeToFilter(page, benchClientId((run * SAMPLES * 397 + sample * 211) % SIZE)));
      }
      await timeToFilter(page, '');
      if (keep) {
        firstCell.push(ms);
        filter.push(median(samples));
      }
      log(
        `run ${run}${keep ? '' : ' (discarded)'}: first cell ${ms.toFixed(0)} ms, filter median ${median(samples).toFixed(1)} ms`,
      );
    }
    const shape = await page.evaluate(() => {
      const table = document.querySelector('table[aria-label="Trust map"]');
      return { rows: table?.getAttribute('aria-rowcount'), columns: table?.getAttribute('aria-colcount') };
    });
    await page.context().close();

    console.log(
      `\nTrust map (production build, ${APP_URL}) in Chromium ${browser.version()} against Keycloak at ${keycloak.url} ` +
        `(${new Date().toISOString()}); realm ${realm}, the unfiltered map holds ${Number(shape.rows) - 1} callers × ` +
        `${Number(shape.columns) - 1} audiences; medians of ${RUNS} warm runs after 1 discarded, ${SAMPLES} keystrokes per run`,
    );
    const first = median(firstCell);
    const keystroke = median(filter);
    console.log(
      `  click "Trust map" (realm already read) to the first painted cell: median ${first.toFixed(0)} ms (runs ${firstCell.map((ms) => ms.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  caller filter keystroke to render: median ${keystroke.toFixed(1)} ms (run medians ${filter.map((ms) => ms.toFixed(1)).join(', ')})`,
    );
    const ok = printChecks([
      [`first painted cell ≤ ${FIRST_CELL_GOAL_MS} ms (${first.toFixed(0)})`, first <= FIRST_CELL_GOAL_MS],
      [`filter keystroke to render ≤ ${FILTER_GOAL_MS} ms (${keystroke.toFixed(1)})`, keystroke <= FILTER_GOAL_MS],
    ]);
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
