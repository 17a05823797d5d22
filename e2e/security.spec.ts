import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, test } from '@playwright/test';
import { APP_URL } from '../playwright.config.ts';
import { readCsv } from '../src/report/read-csv.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow, openClient } from './support/dashboard.ts';
import { type DemoUser, demoUser } from './support/demo.ts';
import {
  addHostileClients,
  FORMULA_AUDIENCE,
  FORMULA_CLIENT_IDS,
  FORMULA_MAPPER,
  UNUSUAL_CLIENT_IDS,
  XSS_AUDIENCE,
  XSS_CLIENT_IDS,
  XSS_SCOPE,
  XSS_TEXTS,
} from './support/hostile-clients.ts';
import { assertOnKeycloakLogin, fillKeycloakLogin, signInAs } from './support/keycloak-login.ts';
import {
  assertNoSecrets,
  browserStorageText,
  captureTokens,
  type Secret,
  scanReactState,
} from './support/leak-check.ts';
import { unquotedOccurrences } from './support/shell-quoting.ts';
import { assertVerified, fixSelected, wizard } from './support/wizard.ts';

// Each group signs in to its own copy of the demo realm, as that copy's realm-admin.
const LEAKS = 'security-copy';
const NAMES = 'security-names';
const SESSION = 'security-session';
const APP_ORIGIN = new URL(APP_URL).origin;

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  for (const realm of [LEAKS, NAMES, SESSION]) await admin.realms.del({ realm }).catch(() => undefined);
});

async function signIn(page: Page, realm: string, user: DemoUser = demoUser('realm-admin')) {
  await serveConfig(page, { ...shippedConfig(), realm });
  await signInAs(page, user, realm);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

async function clientUuid(realm: string, clientId: string): Promise<string> {
  const [client] = await admin.clients.find({ realm, clientId });
  if (!client?.id) throw new Error(`realm ${realm} has no client ${clientId}`);
  return client.id;
}

// ------------------------------------------------------------------------------------------ drawer and wizard

const drawer = (page: Page) => page.getByRole('dialog');
const tokenCheck = (page: Page) => drawer(page).getByLabel('Check with an example token');

async function chooseTokenUser(page: Page, username: string) {
  const user = tokenCheck(page).getByRole('combobox', { name: 'User' });
  // Searchable once the admin's roles are read (view-users).
  await expect(user).toHaveAttribute('placeholder', 'Search users');
  await user.fill(username);
  await page.getByRole('option', { name: new RegExp(username) }).click();
}

async function clickGenerateToken(page: Page) {
  await tokenCheck(page).getByRole('button', { name: 'Generate token' }).click();
  return tokenCheck(page).getByLabel('Token result');
}

/** The detail drawer, titled with the client id as text. */
async function assertDrawerOf(page: Page, clientId: string) {
  await expect(page.getByRole('dialog', { name: clientId, exact: true })).toBeVisible();
}

async function closeDrawer(page: Page) {
  await page.keyboard.press('Escape');
  await expect(drawer(page)).toHaveCount(0);
}

/** Selects the clients in the table and previews an Audience mapper on each. */
async function previewDedicatedMappers(page: Page, clientIds: string[]) {
  await fixSelected(page, clientIds);
  await wizard(page).getByRole('radio', { name: 'Audience mapper on each client' }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
}

/** The three renderings of the previewed plan, as the admin would copy them. */
async function readPreview(page: Page) {
  const preview = wizard(page).getByLabel('Preview');
  const changes = (await preview.getByRole('list', { name: 'Changes' }).textContent()) ?? '';
  await preview.getByRole('tab', { name: 'REST calls' }).click();
  const rest = (await preview.locator('pre[aria-label="REST calls"]').textContent()) ?? '';
  await preview.getByRole('tab', { name: 'kcadm.sh script' }).click();
  const script = (await preview.locator('pre[aria-label="kcadm.sh script"]').textContent()) ?? '';
  await preview.getByRole('tab', { name: 'Changes' }).click();
  return { changes, rest, script };
}

/** Applies the previewed plan (one write per client) and waits for a real token to prove each fix. */
async function applyAndAssertProven(page: Page, clientIds: string[]) {
  const count = clientIds.length;
  await wizard(page)
    .getByRole('button', { name: `Apply ${count} change${count === 1 ? '' : 's'}` })
    .click();
  await assertVerified(page, clientIds);
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(wizard(page).getByRole('alert', { name: 'Done' })).toBeVisible();
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();
  await expect(wizard(page)).toHaveCount(0);
}

async function fixFromDrawer(page: Page, clientId: string) {
  await openClient(page, clientId);
  await page.getByRole('button', { name: 'Fix this client…' }).click();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await applyAndAssertProven(page, [clientId]);
}

async function assertRunListed(page: Page, clientId: string) {
  await page.getByRole('button', { name: 'Recent runs' }).click();
  const run = page.getByRole('dialog', { name: 'Recent fix runs' }).getByLabel(/^Run /);
  await expect(run).toHaveCount(1);
  await expect(run).toContainText(clientId);
  await expect(run).toContainText('applied');
  await page.getByRole('button', { name: 'Close recent runs' }).click();
}

/** The JSON and CSV downloads of the Export menu. */
async function downloadExports(page: Page) {
  const download = async (format: 'JSON' | 'CSV') => {
    await page.getByRole('button', { name: 'Export' }).click();
    const started = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: format }).click();
    return readFile((await (await started).path()) as string, 'utf8');
  };
  return { json: await download('JSON'), csv: await download('CSV') };
}

// ------------------------------------------------------------------------------------------ tokens and secrets

/** The realm's client secrets, orders-web's made new first so that it is random, not the fixture's. */
async function clientSecrets(realm: string): Promise<Secret[]> {
  await admin.clients.generateNewClientSecret({ realm, id: await clientUuid(realm, 'orders-web') });
  const secrets: Secret[] = [];
  for (const client of await admin.clients.find({ realm })) {
    if (!client.id || client.publicClient || client.bearerOnly) continue;
    const { value } = await admin.clients.getClientSecret({ realm, id: client.id });
    if (value) secrets.push({ name: `client secret of ${client.clientId}`, value });
  }
  return secrets;
}

test.describe('tokens and secrets', () => {
  test.beforeEach(async () => {
    await importDemoCopy(admin, LEAKS);
  });

  test('never reach storage, cookies, URLs, the console, React state, exports, the wizard or the run journal', async ({
    page,
  }) => {
    const secrets = await clientSecrets(LEAKS);
    expect(secrets.map((secret) => secret.name)).toContain('client secret of orders-web');
    const tokens = captureTokens(page);
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    page.on('framenavigated', (frame) => urls.push(frame.url()));
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(`${error.message}\n${error.stack ?? ''}`));

    await signIn(page, LEAKS);
    await expect.poll(() => tokens.some((token) => token.name.startsWith('access_token'))).toBe(true);
    await expect.poll(() => tokens.some((token) => token.name.startsWith('refresh_token'))).toBe(true);

    // Every screen that talks to the Admin API: a generated token, a fix run with its preview, run history.
    await openClient(page, 'orders-web');
    await chooseTokenUser(page, 'alice');
    await expect((await clickGenerateToken(page)).getByText('✔ Agrees with the prediction')).toBeVisible();
    await page.getByRole('button', { name: 'Fix this client…' }).click();
    await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
    await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = await readPreview(page);
    expect(preview.script).toContain('protocol-mappers/models');
    await applyAndAssertProven(page, ['orders-web']);
    await closeDrawer(page);
    await assertRunListed(page, 'orders-web');
    const exports = await downloadExports(page);

    const storage = await browserStorageText(page);
    // The journal is there to be checked: the run was kept in localStorage.
    expect(storage).toContain(`audience-doctor.runs:${keycloakUrl()}:${LEAKS}`);
    expect(storage).toContain('orders-web-audience');
    const cookies = JSON.stringify(await page.context().cookies(APP_URL));
    const all = [...tokens, ...secrets];
    const react = await scanReactState(page, all);
    // The scan read the live cache: the audit of the realm, with its clients.
    expect(react.queryCache).toContain(`["realms","${LEAKS}","audit"]`);
    expect(react.queryCache).toContain('"clientId":"orders-web"');
    expect(react.objects).toBeGreaterThan(1_000);

    expect(react.found, 'React state, props, context, the query cache or window').toEqual([]);
    assertNoSecrets('localStorage, sessionStorage or IndexedDB (run journal included)', storage, all);
    assertNoSecrets('the cookies of the app origin', cookies, all);
    assertNoSecrets('a page or request URL', urls.join('\n'), all);
    assertNoSecrets('the console', consoleLines.join('\n'), all);
    assertNoSecrets('the page', await page.content(), all);
    assertNoSecrets('the JSON export', exports.json, all);
    assertNoSecrets('the CSV export', exports.csv, all);
    assertNoSecrets('the list of changes', preview.changes, all);
    assertNoSecrets('the REST calls', preview.rest, all);
    assertNoSecrets('the kcadm.sh script', preview.script, all);
  });

  test('sign-in uses the authorization code flow with PKCE S256', async ({ page }) => {
    const authorize = page.waitForRequest((request) =>
      request.url().startsWith(`${keycloakUrl()}/realms/${LEAKS}/protocol/openid-connect/auth?`),
    );
    const exchange = page.waitForRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/protocol/openid-connect/token'),
    );
    await signIn(page, LEAKS);

    const query = new URL((await authorize).url()).searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('code_challenge_method')).toBe('S256');
    const challenge = query.get('code_challenge') ?? '';
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('state')).toBeTruthy();
    expect(query.get('nonce')).toBeTruthy();

    // The verifier sent with the code is the one the challenge was made from.
    const body = new URLSearchParams((await exchange).postData() ?? '');
    expect(body.get('grant_type')).toBe('authorization_code');
    const verifier = body.get('code_verifier') ?? '';
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
    // The code came back in the query and did not stay in the address bar.
    expect(page.url()).not.toMatch(/[?&](code|state|session_state)=/);
  });
});

// ------------------------------------------------------------------------------------------ hostile names

/** Whether any payload ran, and any markup the payloads would have made, anywhere in the document. */
async function assertNothingRan(page: Page, where: string) {
  const state = await page.evaluate(() => {
    const handlers = [...document.querySelectorAll('*')].filter((element) =>
      [...element.attributes].some((attribute) => attribute.name.startsWith('on')),
    );
    const markup = document.querySelectorAll(
      'body script, img[src="x"], img[src="y"], iframe, details[ontoggle], a[href^="javascript:" i]',
    );
    return {
      pwned: (window as { __pwned?: unknown }).__pwned,
      injected: [...handlers, ...markup].map((element) => element.outerHTML.slice(0, 120)),
    };
  });
  expect(state.pwned, `a payload ran: ${where}`).toBeUndefined();
  expect(state.injected, `markup from client data: ${where}`).toEqual([]);
}

/** Runs the wizard's script with a stand-in for kcadm.sh that records its arguments. */
function runWithRecordingKcadm(script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'security-kcadm-'));
  try {
    const fake = join(dir, 'kcadm.sh');
    // One file per call, arguments NUL-terminated; client lookups are answered with a made-up id.
    writeFileSync(
      fake,
      [
        '#!/usr/bin/env bash',
        'n=$(find "$CALLS" -type f | wc -l)',
        `printf '%s\\0' "$@" > "$CALLS/$n"`,
        'if [[ "$1" == get && "$2" == clients ]]; then',
        '  for arg in "$@"; do',
        `    [[ "$arg" == clientId=* ]] && printf 'uuid-%s,%s\\n' "$n" "\${arg#clientId=}"`,
        '  done',
        'fi',
        'exit 0',
      ].join('\n'),
    );
    chmodSync(fake, 0o755);
    const calls = join(dir, 'calls');
    spawnSync('mkdir', [calls]);
    const file = join(dir, 'fix.sh');
    writeFileSync(file, script);
    const run = spawnSync('bash', [file], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, LC_ALL: 'C.UTF-8', KCADM: fake, CALLS: calls },
    });
    const recorded = readdirSync(calls)
      .sort((left, right) => Number(left) - Number(right))
      .map((name) => readFileSync(join(calls, name), 'utf8').split('\0').slice(0, -1));
    return { status: run.status, stderr: run.stderr, calls: recorded, pwned: existsSync(join(dir, 'pwned')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How an id sits in a URL: absent, as one whole (decoded) path segment or query value, or broken up. */
function placementIn(url: string, id: string): 'absent' | 'whole' | 'broken' {
  const parsed = new URL(url);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const pieces = [...parsed.pathname.split('/').map(decode), ...parsed.searchParams.values()];
  if (pieces.includes(id)) return 'whole';
  return url.includes(id) || decode(url).includes(id) ? 'broken' : 'absent';
}

/** The search box keeps the id in the URL, and a reload (through Keycloak) brings it back intact. */
async function assertSearchSurvivesReload(page: Page, clientId: string) {
  await page.getByLabel('Search clients').fill(clientId);
  await expect(clientRow(page, clientId)).toBeVisible();
  await expect(clientRow(page, 'orders-web')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Search clients')).toHaveValue(clientId);
  await expect(clientRow(page, clientId)).toBeVisible();
}

const [SLASH_AND_SPACE = '', URL_SYNTAX = '', NON_ASCII = ''] = UNUSUAL_CLIENT_IDS;

test.describe('hostile and unusual client ids', () => {
  test.beforeAll(async () => {
    await importDemoCopy(admin, NAMES);
    await addHostileClients(admin, NAMES);
  });

  test('markup in ids, names and descriptions stays text on every screen and in every export', async ({ page }) => {
    // The scanner itself must be able to fail.
    expect(unquotedOccurrences(`kc get x __pwned 'y'`, '__pwned')).toHaveLength(1);

    await signIn(page, NAMES);
    for (const [index, clientId] of XSS_CLIENT_IDS.entries()) {
      await expect(clientRow(page, clientId)).toBeVisible();
      await expect(clientRow(page, clientId)).toContainText(XSS_TEXTS[index] ?? '');
    }
    await expect(clientRow(page, XSS_CLIENT_IDS[0] ?? '')).toContainText(XSS_SCOPE);
    await assertNothingRan(page, 'the clients table');

    for (const [index, clientId] of XSS_CLIENT_IDS.entries()) {
      await openClient(page, clientId);
      await assertDrawerOf(page, clientId);
      await expect(drawer(page).getByText(XSS_TEXTS[index] ?? '', { exact: true })).toBeVisible();
      if (index === 0) {
        await expect(drawer(page).getByLabel('Predicted aud')).toContainText(XSS_AUDIENCE);
        await expect(drawer(page).getByRole('table', { name: 'Mappers that affect aud' })).toContainText(XSS_AUDIENCE);
        await expect(drawer(page)).toContainText(XSS_SCOPE);
      }
      await assertNothingRan(page, `the detail drawer of ${clientId}`);
      await closeDrawer(page);
    }

    await previewDedicatedMappers(page, XSS_CLIENT_IDS);
    const preview = await readPreview(page);
    await assertNothingRan(page, 'the fix wizard preview');
    for (const clientId of XSS_CLIENT_IDS) {
      expect(preview.changes).toContain(`client "${clientId}"`);
      expect(preview.rest).toContain(`"included.client.audience": ${JSON.stringify(clientId)}`);
    }
    const syntax = spawnSync('bash', ['-n'], { input: preview.script, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    for (const marker of ['__pwned', 'touch pwned', '<script>', 'onerror', 'onload', 'javascript:']) {
      expect(unquotedOccurrences(preview.script, marker), `"${marker}" outside single quotes`).toEqual([]);
    }
    // Run for real against a recording kcadm.sh: every id arrives as one argument, byte for byte.
    const run = runWithRecordingKcadm(preview.script);
    expect(run.status, run.stderr).toBe(0);
    expect(run.pwned).toBe(false);
    const lookedUp = run.calls.flatMap((call) => call.filter((arg) => arg.startsWith('clientId=')));
    expect(lookedUp.map((arg) => arg.slice('clientId='.length)).sort()).toEqual([...XSS_CLIENT_IDS].sort());
    const created = run.calls
      .filter((call) => call[0] === 'create')
      .map((call) => JSON.parse(call[call.indexOf('-b') + 1] ?? '{}').config['included.client.audience']);
    expect(created.sort()).toEqual([...XSS_CLIENT_IDS].sort());

    await applyAndAssertProven(page, XSS_CLIENT_IDS);
    await assertNothingRan(page, 'the verification result');
    await page.getByRole('button', { name: 'Recent runs' }).click();
    await expect(page.getByRole('dialog', { name: 'Recent fix runs' })).toContainText(XSS_CLIENT_IDS[1] ?? '');
    await assertNothingRan(page, 'the run history');
    await page.getByRole('button', { name: 'Close recent runs' }).click();

    const exports = await downloadExports(page);
    const report = JSON.parse(exports.json) as { clients: { clientId: string }[] };
    const exported = report.clients.map((client) => client.clientId);
    expect(exported).toEqual(expect.arrayContaining([...XSS_CLIENT_IDS, ...FORMULA_CLIENT_IDS, ...UNUSUAL_CLIENT_IDS]));

    const [header = [], ...rows] = readCsv(exports.csv);
    for (const row of rows) {
      for (const cell of row) expect(cell, 'a CSV cell a spreadsheet would run').not.toMatch(/^\s*[=+\-@]|^[\t\r]/);
    }
    const column = (name: string) => rows.map((row) => row[header.indexOf(name)] ?? '');
    expect(column('clientId')).toEqual(
      expect.arrayContaining([...XSS_CLIENT_IDS, ...FORMULA_CLIENT_IDS.map((clientId) => `'${clientId}`)]),
    );
    const formulaRow = rows.find((row) => row[header.indexOf('clientId')] === `'${FORMULA_CLIENT_IDS[0]}`) ?? [];
    expect(formulaRow[header.indexOf('evidence')]).toMatch(new RegExp(`^'${FORMULA_MAPPER}`));
    const audiences = formulaRow[header.indexOf('audiences')] ?? '';
    expect(audiences).toMatch(/^'=/);
    expect(audiences.slice(1).split(' ')).toEqual(expect.arrayContaining([FORMULA_AUDIENCE, FORMULA_CLIENT_IDS[0]]));
    await assertNothingRan(page, 'the exports');
  });

  test('ids with a slash, URL syntax, unicode and 255 characters work in every call and link', async ({ page }) => {
    const adminUrls: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${keycloakUrl()}/admin/`)) adminUrls.push(request.url());
    });
    await signIn(page, NAMES);

    for (const clientId of UNUSUAL_CLIENT_IDS) {
      const uuid = await clientUuid(NAMES, clientId);
      await openClient(page, clientId);
      await assertDrawerOf(page, clientId);
      await expect(page).toHaveURL(new RegExp(`[?&]client=${uuid}(&|$)`));
      const links = `${keycloakUrl()}/admin/${NAMES}/console/#/${NAMES}/clients/${uuid}`;
      await expect(drawer(page).getByRole('link', { name: 'Open in the admin console' })).toHaveAttribute(
        'href',
        `${links}/settings`,
      );
      await expect(drawer(page).getByRole('link', { name: 'Client scopes tab' })).toHaveAttribute(
        'href',
        `${links}/clientScopes`,
      );
      await expect(drawer(page).getByRole('link', { name: 'Dedicated scope' })).toHaveAttribute(
        'href',
        `${links}/clientScopes/dedicated`,
      );
      await chooseTokenUser(page, 'alice');
      const result = await clickGenerateToken(page);
      await expect(result.getByText('✔ Agrees with the prediction')).toBeVisible();
      await expect(result.getByLabel('Token aud').getByText(clientId, { exact: true })).toHaveCount(0);
      await closeDrawer(page);
    }

    for (const clientId of [SLASH_AND_SPACE, NON_ASCII]) await assertSearchSurvivesReload(page, clientId);
    await page.getByLabel('Search clients').fill('');

    await previewDedicatedMappers(page, UNUSUAL_CLIENT_IDS);
    await applyAndAssertProven(page, UNUSUAL_CLIENT_IDS);
    for (const clientId of UNUSUAL_CLIENT_IDS) {
      const [client] = await admin.clients.find({ realm: NAMES, clientId });
      const audiences = (client?.protocolMappers ?? []).map((mapper) => mapper.config?.['included.client.audience']);
      expect(audiences).toEqual([clientId]);

      await openClient(page, clientId);
      await chooseTokenUser(page, 'alice');
      const result = await clickGenerateToken(page);
      await expect(result.getByLabel('Token aud').getByText(clientId, { exact: true })).toBeVisible();
      await closeDrawer(page);
    }

    expect(adminUrls.length).toBeGreaterThan(0);
    for (const url of adminUrls) {
      for (const clientId of UNUSUAL_CLIENT_IDS) expect(placementIn(url, clientId), url).not.toBe('broken');
    }
  });

  test('a search for an id with a percent escape in it stays as typed', async ({ page }) => {
    await signIn(page, NAMES);
    await assertSearchSurvivesReload(page, URL_SYNTAX);
  });
});

// ------------------------------------------------------------------------------------------ session expiry

const isTokenEndpoint = (url: string) => url.endsWith('/protocol/openid-connect/token');
const isExampleToken = (url: string) =>
  new URL(url).pathname.endsWith('/evaluate-scopes/generate-example-access-token');

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };

/** The page's token traffic, in order: example-token calls, refreshes and trips to the login page. */
function recordTokenTraffic(page: Page): string[] {
  const traffic: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (request.method() === 'OPTIONS') return;
    if (isExampleToken(url)) traffic.push('example token');
    else if (
      isTokenEndpoint(url) &&
      new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token'
    )
      traffic.push('refresh');
    else if (url.startsWith(`${keycloakUrl()}/realms/${SESSION}/protocol/openid-connect/auth?`))
      traffic.push('sign-in');
  });
  return traffic;
}

/** Answers the next `times` example-token calls with 401, as Keycloak does for a token it no longer accepts. */
async function refuseExampleTokenCalls(page: Page, times: number) {
  let refused = 0;
  await page.route(
    (url) => isExampleToken(url.href),
    async (route) => {
      if (refused >= times) return route.fallback();
      refused += 1;
      await route.fulfill({
        status: 401,
        headers: { 'access-control-allow-origin': APP_ORIGIN },
        contentType: 'application/json',
        body: JSON.stringify({ error: 'HTTP 401 Unauthorized' }),
      });
    },
  );
}

test.describe('an expiring session', () => {
  test.beforeEach(async () => {
    await importDemoCopy(admin, SESSION);
  });

  test('an access token that has expired is renewed without a login page', async ({ page }) => {
    await admin.realms.update({ realm: SESSION }, { accessTokenLifespan: 10 });
    const tokens = captureTokens(page);
    await signIn(page, SESSION);
    const keycloakPages: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && !frame.url().startsWith(APP_ORIGIN)) keycloakPages.push(frame.url());
    });
    await expect.poll(() => tokens.find((token) => token.name === 'access_token #1')).toBeDefined();
    const first = tokens.find((token) => token.name === 'access_token #1')?.value ?? '';
    await openClient(page, 'orders-web');
    await chooseTokenUser(page, 'alice');

    // Wait until the first access token is past its expiry, then act.
    await page.waitForTimeout(Math.max(0, claimsOf(first).exp * 1000 - Date.now() + 1_500));
    const call = page.waitForRequest((request) => isExampleToken(request.url()));
    const result = await clickGenerateToken(page);
    await expect(result.getByText('✔ Agrees with the prediction')).toBeVisible();
    const bearer = ((await call).headers().authorization ?? '').replace(/^bearer /i, '');
    expect(bearer).not.toBe(first);
    expect(claimsOf(bearer).exp * 1000).toBeGreaterThan(Date.now());
    expect(keycloakPages).toEqual([]);
    expect(page.url().startsWith(APP_ORIGIN)).toBe(true);
  });

  test('a refused token is renewed once and the call retried', async ({ page }) => {
    await signIn(page, SESSION);
    await openClient(page, 'orders-web');
    await chooseTokenUser(page, 'alice');
    const traffic = recordTokenTraffic(page);
    await refuseExampleTokenCalls(page, 1);

    const result = await clickGenerateToken(page);
    await expect(result.getByText('✔ Agrees with the prediction')).toBeVisible();
    expect(traffic).toEqual(['example token', 'refresh', 'example token']);
    expect(page.url().startsWith(APP_ORIGIN)).toBe(true);
  });

  test('a token refused again leads to sign-in, back to the same screen, with the run journal kept', async ({
    page,
  }) => {
    await signIn(page, SESSION);
    await fixFromDrawer(page, 'orders-web');
    const uuid = await clientUuid(SESSION, 'orders-web');
    await chooseTokenUser(page, 'alice');
    const traffic = recordTokenTraffic(page);
    await refuseExampleTokenCalls(page, Number.POSITIVE_INFINITY);

    const signInAgain = page.waitForRequest((request) => request.url().includes('/protocol/openid-connect/auth?'));
    await tokenCheck(page).getByRole('button', { name: 'Generate token' }).click();
    await signInAgain;
    // Keycloak's SSO session is still there, so it sends the admin straight back to where they were.
    await expect(page).toHaveURL(new RegExp(`^${APP_ORIGIN}/#/realms/${SESSION}/clients\\?client=${uuid}$`));
    await assertDrawerOf(page, 'orders-web');
    expect(traffic.slice(0, 4)).toEqual(['example token', 'refresh', 'example token', 'sign-in']);
    await closeDrawer(page);
    await assertRunListed(page, 'orders-web');
  });

  test('a session ended in Keycloak shows the login page; after it, the run journal is still listed', async ({
    page,
  }) => {
    const realmAdmin = demoUser('realm-admin');
    await signIn(page, SESSION, realmAdmin);
    await fixFromDrawer(page, 'orders-web');
    const uuid = await clientUuid(SESSION, 'orders-web');
    await chooseTokenUser(page, 'alice');
    const [user] = await admin.users.find({ realm: SESSION, username: realmAdmin.username, exact: true });
    await admin.users.logout({ realm: SESSION, id: user?.id as string });

    // Keycloak refuses the still unexpired token without CORS headers: the page sees a failed fetch.
    await tokenCheck(page).getByRole('button', { name: 'Generate token' }).click();
    await assertOnKeycloakLogin(page, SESSION);
    await fillKeycloakLogin(page, realmAdmin.username, realmAdmin.password);
    await expect(page).toHaveURL(new RegExp(`^${APP_ORIGIN}/#/realms/${SESSION}/clients\\?client=${uuid}$`));
    await chooseTokenUser(page, 'alice');
    await expect((await clickGenerateToken(page)).getByLabel('Token aud')).toContainText('orders-web');
    await closeDrawer(page);
    await assertRunListed(page, 'orders-web');
  });
});
