import { chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { ensureKeycloak } from '../e2e/keycloak/harness.ts';
import { stopServer } from '../e2e/keycloak/server.ts';
import { readSettings, repoRoot } from '../e2e/keycloak/settings.ts';
import { importLargeRealm, masterAdmin } from '../e2e/support/admin-api.ts';
import { shippedConfig } from '../e2e/support/app-config.ts';

/**
 * The dashboard on a large realm, in Chromium: time from sign-in to the full table, and the time from
 * a keystroke in the search box or a click on a sort header to the rendered result.
 */
const REALM = 'bench-ui-5000';
const CLIENTS = 5000;
const WITH_SCOPE_EVERY = 10; // every 10th client is fixed with its own audience scope
const SAMPLES = 25;
const IMPORT_BATCH = 500;
const APP_URL = 'http://localhost:4173/';

function realmRepresentation() {
  const clients = [];
  const clientScopes = [];
  for (let index = 0; index < CLIENTS; index += 1) {
    const clientId = `app-${String(index).padStart(4, '0')}`;
    const withScope = index % WITH_SCOPE_EVERY === 0;
    if (withScope) {
      clientScopes.push({
        name: `${clientId}-audience`,
        protocol: 'openid-connect',
        attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
        protocolMappers: [
          {
            name: `${clientId} audience`,
            protocol: 'openid-connect',
            protocolMapper: 'oidc-audience-mapper',
            config: { 'included.client.audience': clientId, 'access.token.claim': 'true' },
          },
        ],
      });
    }
    clients.push({
      clientId,
      name: `Application ${index}`,
      protocol: 'openid-connect',
      publicClient: index % 3 === 0,
      standardFlowEnabled: true,
      redirectUris: [`http://localhost:4000/${clientId}/callback`],
      defaultClientScopes: withScope ? [`${clientId}-audience`] : [],
    });
  }
  return { realm: REALM, enabled: true, clients, clientScopes };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Milliseconds from one user action (typing a search, or clicking a sort header) to the next painted frame
 * after the table body changed; measured inside the page, so no round trip to the test process counts.
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

async function main(): Promise<void> {
  const settings = readSettings();
  const keycloak = await ensureKeycloak(settings);
  const admin = await masterAdmin();
  const server = { close: async () => {} };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
    let started = performance.now();
    // One import of all 5,000 clients ran for over 18 minutes (Keycloak's import slows down with every
    // client it holds): the realm and its scopes come in one import, the clients in partial imports of 500.
    const { clients, ...realm } = realmRepresentation();
    await importLargeRealm(admin, realm);
    for (let first = 0; first < clients.length; first += IMPORT_BATCH) {
      await admin.realms.partialImport({
        realm: REALM,
        rep: { ifResourceExists: 'FAIL', clients: clients.slice(first, first + IMPORT_BATCH) },
      } as Parameters<typeof admin.realms.partialImport>[0]);
    }
    const importSeconds = (performance.now() - started) / 1000;

    await build({ root: repoRoot, logLevel: 'warn' });
    const previewServer = await preview({ root: repoRoot, logLevel: 'warn' });
    server.close = () => previewServer.close();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The dashboard signs in to master, as a server-wide admin would.
    await page.route('**/config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...shippedConfig(), realm: 'master' }) }),
    );
    const adminRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/admin/') && request.method() !== 'OPTIONS') adminRequests.push(url.pathname);
    });
    await page.goto(`${APP_URL}#/realms/${REALM}/clients`);
    await page.getByLabel('Username or email').fill(settings.adminUsername);
    await page.getByLabel('Password', { exact: true }).fill(settings.adminPassword);
    started = performance.now();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page
      .getByRole('status', { name: 'Summary' })
      .filter({ hasText: `${CLIENTS} clients` })
      .waitFor({ timeout: 900_000 })
      .catch(async (error: unknown) => {
        const text = ((await page.textContent('body')) ?? '').slice(0, 600);
        throw new Error(`the table never showed ${CLIENTS} clients; the page said: ${text}`, { cause: error });
      });
    await page.getByRole('button', { name: 'app-0001', exact: true }).waitFor();
    const toTableSeconds = (performance.now() - started) / 1000;
    const auditRequests = adminRequests.filter(
      (path) => path.includes(`/realms/${REALM}/`) || path === '/admin/serverinfo',
    );

    const searchTimes: number[] = [];
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      searchTimes.push(await timeToRender(page, { search: `app-${String(sample * 7).padStart(2, '0')}` }));
    }
    await page.getByLabel('Search clients').fill('');
    const sortTimes: number[] = [];
    for (let sample = 0; sample < SAMPLES; sample += 1)
      sortTimes.push(await timeToRender(page, { sortBy: 'Client ID' }));

    console.log(
      `\nDashboard on ${CLIENTS} clients (${CLIENTS / WITH_SCOPE_EVERY} with an audience scope), ${new Date().toISOString()}`,
    );
    console.log(`  realm import (scopes + ${CLIENTS / IMPORT_BATCH} partial imports)    ${importSeconds.toFixed(1)} s`);
    console.log(`  sign-in click to full table                 ${toTableSeconds.toFixed(2)} s`);
    console.log(
      `  Admin API requests for the audit            ${auditRequests.length} (${CLIENTS / WITH_SCOPE_EVERY} of them scope-mapping reads)`,
    );
    console.log(
      `  search keystroke to rendered, median        ${median(searchTimes).toFixed(1)} ms (max ${Math.max(...searchTimes).toFixed(1)} ms, ${SAMPLES} samples)`,
    );
    console.log(
      `  sort click to rendered, median              ${median(sortTimes).toFixed(1)} ms (max ${Math.max(...sortTimes).toFixed(1)} ms, ${SAMPLES} samples)`,
    );
  } finally {
    await browser.close();
    await server.close();
    if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
    if (keycloak.startedHere) await stopServer(settings);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
