import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { APP_URL } from '../playwright.config.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow, clientsTable, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { realmState } from './support/realm-state.ts';
import { recordWrites, wizard } from './support/wizard.ts';

// Wrong settings, missing roles and failing servers: each gets a message that says what to do, and nothing is
// left half-written in Keycloak. Keycloak stays up; an outage is a request the page is not allowed to make.
// Every realm changed here is a copy of demo named badinput-*, deleted at the end.

const PREFIX = 'badinput-';
const APP_ORIGIN = new URL(APP_URL).origin;
const KEYCLOAK = String(shippedConfig().keycloakUrl);
const corsHeaders = { 'access-control-allow-origin': APP_ORIGIN, 'content-type': 'application/json' };

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  // By prefix, so that copies left by an interrupted run go too.
  for (const { realm } of await admin.realms.find({ briefRepresentation: true })) {
    if (realm?.startsWith(PREFIX)) await admin.realms.del({ realm });
  }
});

// ------------------------------------------------------------------------------------------------- helpers

async function assertStartupProblem(page: Page, title: string, ...fixes: (string | RegExp)[]) {
  await expect(page.getByText('Audience Doctor cannot start')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { name: 'What to do' })).toBeVisible();
  for (const fix of fixes) await expect(page.getByRole('listitem').filter({ hasText: fix })).toBeVisible();
}

/** Keycloak's own error page, where the app cannot step in (the browser is on Keycloak's origin). */
async function assertKeycloakErrorPage(page: Page, message: string) {
  await expect(page).toHaveURL(new RegExp(`^${KEYCLOAK}/realms/`));
  await expect(page.getByText('We are sorry...')).toBeVisible();
  await expect(page.getByText(message, { exact: true })).toBeVisible();
}

async function signInTo(page: Page, realm: string, username = 'realm-admin') {
  await serveConfig(page, { ...shippedConfig(), realm });
  await signInAs(page, demoUser(username), realm);
}

async function signInToTable(page: Page, realm: string, username = 'realm-admin') {
  await signInTo(page, realm, username);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

/** From here on every request to Keycloak fails as if nothing listened on its port. */
async function takeKeycloakDown(page: Page) {
  await page.route(`${KEYCLOAK}/**`, (route) => route.abort('connectionrefused'));
}

async function bringKeycloakBack(page: Page) {
  await page.unroute(`${KEYCLOAK}/**`);
}

async function userId(realm: string, username: string): Promise<string> {
  const [user] = await admin.users.find({ realm, username, exact: true });
  if (!user?.id) throw new Error(`realm ${realm} has no user ${username}`);
  return user.id;
}

async function clientUuid(realm: string, clientId: string): Promise<string> {
  const [client] = await admin.clients.find({ realm, clientId });
  if (!client?.id) throw new Error(`realm ${realm} has no client ${clientId}`);
  return client.id;
}

async function dropClientRole(realm: string, username: string, roleName: string) {
  const roleClient = await clientUuid(realm, 'realm-management');
  const role = await admin.clients.findRole({ realm, id: roleClient, roleName });
  await admin.users.delClientRoleMappings({
    realm,
    id: await userId(realm, username),
    clientUniqueId: roleClient,
    roles: [{ id: role?.id as string, name: roleName }],
  });
}

const verifyPanel = (page: Page) => page.getByRole('dialog').getByLabel('Check with an example token');

/** Opens the wizard from the client's drawer, optionally picks a strategy, and applies the preview. */
async function applyFix(page: Page, clientId: string, changes: number, strategy?: string) {
  await openClient(page, clientId);
  await page.getByRole('button', { name: 'Fix this client…' }).click();
  if (strategy) await wizard(page).getByRole('radio', { name: strategy }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await wizard(page)
    .getByRole('button', { name: `Apply ${changes} change${changes === 1 ? '' : 's'}` })
    .click();
}

const runReport = (page: Page): Locator => wizard(page).getByRole('alert').first();

/** A request that got no readable answer: the browser cannot tell down, CORS and a refused session apart. */
async function assertNoAnswer(error: Locator, title: string) {
  await expect(error).toContainText(title);
  await expect(error).toContainText(
    "Keycloak could not be reached, refused this page's origin, or no longer accepts this session. Reload the page",
  );
  await expect(error).toContainText(`the Web origins of the dashboard's client list ${APP_ORIGIN}.`);
}

async function generateTokenForMyself(page: Page, clientId: string, username: string) {
  await openClient(page, clientId);
  await verifyPanel(page).getByRole('combobox', { name: 'User' }).click();
  await page.getByRole('option', { name: `Yourself (${username})` }).click();
  await verifyPanel(page).getByRole('button', { name: 'Generate token' }).click();
}

// ------------------------------------------------------------------------------------------------- start-up

test.describe('start-up: a wrong config.json or server gets a page that says what to change', () => {
  test('config.json answered with an HTML page (a static server’s SPA fallback)', async ({ page }) => {
    await page.route('**/config.json', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body></body></html>' }),
    );
    await page.goto('./');
    await assertStartupProblem(page, 'config.json is not valid JSON', 'Put a config.json beside index.html');
    await expect(page.getByText(/<!doctype/)).toBeVisible();
  });

  test('config.json that cannot be fetched at all', async ({ page }) => {
    await page.route('**/config.json', (route) => route.abort('failed'));
    await page.goto('./');
    await assertStartupProblem(page, 'config.json could not be loaded', 'Put a config.json beside index.html');
    await expect(page.getByText(`${APP_URL}config.json: Failed to fetch`)).toBeVisible();
  });

  test('config.json with a misspelled setting names the known ones', async ({ page }) => {
    const { keycloakUrl, ...rest } = shippedConfig();
    await serveConfig(page, { ...rest, keycloakURL: keycloakUrl });
    await page.goto('./');
    await assertStartupProblem(page, 'config.json has invalid settings', 'Put a config.json beside index.html');
    await expect(page.getByText('unknown setting "keycloakURL" (known: keycloakUrl, realm, clientId')).toBeVisible();
    await expect(page.getByText('keycloakUrl: is missing')).toBeVisible();
    await expect(page.getByText('"keycloakUrl": "https://keycloak.example.com"')).toBeVisible();
  });

  test('config.json holding a list instead of an object', async ({ page }) => {
    await serveConfig(page, JSON.stringify([shippedConfig()]));
    await page.goto('./');
    await assertStartupProblem(page, 'config.json has invalid settings', 'Put a config.json beside index.html');
    await expect(page.getByText('must be an object', { exact: true })).toBeVisible();
  });

  test('config.json with a blank realm and clientId', async ({ page }) => {
    await serveConfig(page, { ...shippedConfig(), realm: '  ', clientId: '' });
    await page.goto('./');
    await assertStartupProblem(page, 'config.json has invalid settings');
    await expect(page.getByText('realm: must name the realm the admins sign in to')).toBeVisible();
    await expect(page.getByText("clientId: must name the dashboard's public client")).toBeVisible();
  });

  test('keycloakUrl copied from a realm address is sent back to the server root', async ({ page }) => {
    await serveConfig(page, { ...shippedConfig(), keycloakUrl: `${KEYCLOAK}/realms/demo` });
    await page.goto('./');
    await assertStartupProblem(
      page,
      'Keycloak is not reachable',
      `"keycloakUrl" in config.json points inside Keycloak: set it to the server root, ${KEYCLOAK}.`,
    );
  });

  test('keycloakUrl naming a web server that is not Keycloak (the dashboard’s own)', async ({ page }) => {
    // The preview server answers every path with index.html and 200: that must not pass for Keycloak.
    await serveConfig(page, { ...shippedConfig(), keycloakUrl: APP_ORIGIN });
    await page.goto('./');
    await assertStartupProblem(
      page,
      'Keycloak is not reachable',
      'Check "keycloakUrl" in config.json: the server root, with /auth for Keycloak 16 and older.',
    );
    await expect(page.getByText(`No Keycloak answered at ${APP_ORIGIN}.`)).toBeVisible();
    await expect(page).toHaveURL(APP_URL);
  });

  test('Keycloak down at start behind a proxy that answers 502', async ({ page }) => {
    await page.route(`${KEYCLOAK}/**`, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }),
    );
    await page.goto('./');
    await assertStartupProblem(
      page,
      'Keycloak is not reachable',
      'Check that Keycloak is running and that this browser can reach it.',
    );
  });

  test('a realm name in the wrong letter case', async ({ page }) => {
    await serveConfig(page, { ...shippedConfig(), realm: 'DEMO' });
    await page.goto('./');
    await assertStartupProblem(page, 'Realm "DEMO" not found', 'Realm names are case-sensitive.');
  });

  test('an unknown clientId stops on Keycloak’s own error page', async ({ page }) => {
    await serveConfig(page, { ...shippedConfig(), clientId: 'no-such-dashboard' });
    await page.goto('./');
    await assertKeycloakErrorPage(page, 'Client not found.');
  });

  test('a client whose redirect URIs do not list the dashboard stops on Keycloak’s error page', async ({ page }) => {
    // account-console exists in every realm, with redirect URIs of its own only.
    await serveConfig(page, { ...shippedConfig(), clientId: 'account-console' });
    await page.goto('./');
    await assertKeycloakErrorPage(page, 'Invalid parameter: redirect_uri');
  });

  test('the dashboard’s client without Web origins: add this origin', async ({ page }) => {
    const realm = `${PREFIX}cors`;
    await importDemoCopy(admin, realm);
    const id = await clientUuid(realm, 'audience-doctor');
    const client = await admin.clients.findOne({ realm, id });
    await admin.clients.update({ realm, id }, { ...client, webOrigins: [] });

    await signInTo(page, realm);
    await assertStartupProblem(
      page,
      'Sign-in failed: Keycloak refused this page',
      `Add ${APP_ORIGIN} to the Web origins of client "audience-doctor" in realm "${realm}", then reload this page.`,
    );

    // Doing what the page says is enough.
    await admin.clients.update({ realm, id }, { ...client, webOrigins: [APP_ORIGIN] });
    await page.goto('./');
    await expect(clientRow(page, 'orders-web')).toBeVisible();
  });
});

// ------------------------------------------------------------------------------------------------- in session

test.describe('in session: outages and missing roles', () => {
  const realm = `${PREFIX}session`;

  test.beforeAll(async () => {
    await importDemoCopy(admin, realm);
    // The auditor of this copy may list clients but not users.
    await dropClientRole(realm, 'auditor', 'view-users');
  });

  test('Keycloak goes down after sign-in: a reload explains, and works again once it is back', async ({ page }) => {
    await signInToTable(page, realm);
    await takeKeycloakDown(page);
    await page.reload();
    await assertStartupProblem(
      page,
      'Keycloak is not reachable',
      'Check that Keycloak is running and that this browser can reach it.',
    );
    await expect(page.getByText(`No Keycloak answered at ${KEYCLOAK}.`)).toBeVisible();

    await bringKeycloakBack(page);
    await page.goto('./');
    await expect(clientRow(page, 'orders-web')).toBeVisible();
  });

  test('Keycloak goes down after sign-in: a token request says what to check', async ({ page }) => {
    await signInToTable(page, realm);
    await takeKeycloakDown(page);
    await generateTokenForMyself(page, 'orders-web', 'realm-admin');
    await assertNoAnswer(verifyPanel(page).getByRole('alert'), 'Keycloak did not generate a token');

    // The next step it gives.
    await page.reload();
    await assertStartupProblem(page, 'Keycloak is not reachable');
  });

  test('a user with no admin role is told which role to ask for', async ({ page }) => {
    await signInTo(page, realm, 'alice');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(`You need view-clients in realm ${realm}`);
    await expect(alert).toContainText(
      `Ask an administrator to give alice the role view-clients of the client "realm-management" in realm "${realm}"`,
    );
    await expect(alert).toContainText('Then sign out and in again');
    await expect(clientsTable(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Fix selected/ })).toHaveCount(0);
  });

  test('view-clients without view-users: the drawer explains why no token can be generated', async ({ page }) => {
    await signInToTable(page, realm, 'auditor');
    // Keycloak refuses example tokens even for the admin's own account or a service account without view-users.
    await openClient(page, 'report-worker');
    const note = verifyPanel(page).getByRole('alert', { name: 'Needs view-users' });
    await expect(note).toContainText('only for a user you may view, even for yourself or a service account');
    await expect(note).toContainText(
      `Ask an administrator for the role view-users of realm-management for realm ${realm}, then sign out and in again.`,
    );
    await expect(verifyPanel(page).getByRole('button', { name: 'Generate token' })).toHaveCount(0);
    // The rest of the drawer still works for an auditor.
    await expect(page.getByRole('dialog').getByLabel('Explanation')).toContainText('Missing');
  });
});

// ------------------------------------------------------------------------------------------------- failed writes

interface WriteKind {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  path: RegExp;
  clientId: string;
  strategy?: string;
  changes: number;
  /** The start of the run's message: which step failed. */
  failedStep: string;
  /** What a 409 means for this write, as the run reports it. */
  conflict: string;
  undone?: string;
}

const OPTIONAL_SCOPE = 'shop-spa-optional-audience';

const writeKinds: WriteKind[] = [
  {
    name: 'POST client-scopes',
    method: 'POST',
    path: /\/client-scopes$/,
    clientId: 'orders-web',
    strategy: 'An audience client scope per client',
    changes: 2,
    failedStep:
      'Step 1 of 2 failed (Create client scope "orders-web-audience" with Audience mapper "orders-web-audience"',
    conflict: 'a client scope named "orders-web-audience" was created by someone else meanwhile',
  },
  {
    name: 'PUT default-client-scopes',
    method: 'PUT',
    path: /\/clients\/[^/]+\/default-client-scopes\/[^/]+$/,
    clientId: 'orders-web',
    strategy: 'An audience client scope per client',
    changes: 2,
    failedStep: 'Step 2 of 2 failed (Attach client scope "orders-web-audience" to "orders-web" as a default scope)',
    conflict: 'Something of that name exists already (made meanwhile?): read the realm again before retrying.',
    undone: 'Undone: Create client scope "orders-web-audience" with Audience mapper "orders-web-audience"',
  },
  {
    name: 'POST protocol-mappers',
    method: 'POST',
    path: /\/clients\/[^/]+\/protocol-mappers\/models$/,
    clientId: 'orders-web',
    changes: 1,
    failedStep: 'Step 1 of 1 failed (Add Audience mapper "orders-web-audience" to client "orders-web"',
    conflict:
      'Keycloak refused mapper "orders-web-audience" of client "orders-web" as a duplicate (409), yet no mapper of that name is there',
  },
  {
    name: 'DELETE optional-client-scopes',
    method: 'DELETE',
    path: /\/clients\/[^/]+\/optional-client-scopes\/[^/]+$/,
    clientId: 'shop-spa',
    changes: 2,
    failedStep: `Step 1 of 2 failed (Remove the optional link of scope "${OPTIONAL_SCOPE}" from "shop-spa")`,
    conflict: 'Something of that name exists already (made meanwhile?): read the realm again before retrying.',
  },
];

/** What Keycloak sends with each status, and what the run must then tell the admin to do. */
const statuses = [
  { status: 403, body: { error: 'HTTP 403 Forbidden' }, next: 'ask an administrator for it, then sign in again' },
  {
    status: 404,
    body: { error: 'Could not find client scope' },
    next: 'It no longer exists (deleted meanwhile?): read the realm again before changing it',
  },
  { status: 409, body: { errorMessage: 'Conflicting object' }, next: undefined },
  { status: 500, body: { error: 'unknown_error' }, next: 'try again, and see the Keycloak server log' },
];

test.describe('a write the wizard sends fails: it reports, rolls back, and the realm is as before', () => {
  const realm = `${PREFIX}writes`;

  test.beforeAll(async () => {
    await importDemoCopy(admin, realm);
    // shop-spa's own audience comes from an optional scope only: the repair moves it to default (DELETE, then PUT).
    const { id: clientScopeId } = await admin.clientScopes.create({
      realm,
      name: OPTIONAL_SCOPE,
      protocol: 'openid-connect',
      protocolMappers: [
        {
          name: 'shop-spa audience',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: {
            'included.client.audience': 'shop-spa',
            'access.token.claim': 'true',
            'introspection.token.claim': 'true',
            'id.token.claim': 'false',
          },
        },
      ],
    });
    await admin.clients.addOptionalClientScope({ realm, id: await clientUuid(realm, 'shop-spa'), clientScopeId });
  });

  for (const kind of writeKinds) {
    for (const { status, body, next } of statuses) {
      test(`${kind.name} answered ${status}`, async ({ page }) => {
        await signInToTable(page, realm);
        const before = await realmState(admin, realm);
        let failed = 0;
        await page.route(`**/admin/realms/${realm}/**`, (route) => {
          const request = route.request();
          const hit = request.method() === kind.method && kind.path.test(new URL(request.url()).pathname);
          if (!hit || failed > 0) return route.continue();
          failed += 1;
          return route.fulfill({ status, headers: corsHeaders, body: JSON.stringify(body) });
        });

        await applyFix(page, kind.clientId, kind.changes, kind.strategy);
        const report = runReport(page);
        await expect(report).toContainText(kind.failedStep);
        await expect(report).toContainText(status === 409 ? kind.conflict : `Keycloak answered HTTP ${status}`);
        if (next) await expect(report).toContainText(next);
        await expect(report).toContainText('Everything this run wrote has been undone.');
        if (kind.undone) await expect(report).toContainText(kind.undone);
        await expect(wizard(page).getByRole('button', { name: 'Review the preview again' })).toBeVisible();
        expect(failed).toBe(1);
        expect(await realmState(admin, realm)).toEqual(before);
      });
    }
  }
});

// ------------------------------------------------------------------------------------------------- gone meanwhile

test.describe('something is deleted while the table is open', () => {
  test('the realm: a reload says it is gone', async ({ page }) => {
    const realm = `${PREFIX}gone`;
    await importDemoCopy(admin, realm);
    await signInToTable(page, realm);
    await admin.realms.del({ realm });
    await page.reload();
    await assertStartupProblem(
      page,
      `Realm "${realm}" not found`,
      'Set "realm" in config.json to the realm your admins sign in to (master for server-wide admins).',
    );
  });

  test('the client, between the audit and the fix: nothing is written, and the run says why', async ({ page }) => {
    const realm = `${PREFIX}client-gone`;
    await importDemoCopy(admin, realm);
    await signInToTable(page, realm);
    const writes = recordWrites(page);
    await admin.clients.del({ realm, id: await clientUuid(realm, 'orders-web') });
    const before = await realmState(admin, realm);

    // The table still shows the client: the wizard plans from it, and reads the realm again before writing.
    await applyFix(page, 'orders-web', 1);
    await expect(runReport(page)).toContainText(
      `"orders-web" no longer exists in realm ${realm} (deleted since the audit?). Nothing was written: review the new preview.`,
    );
    await expect(wizard(page).getByRole('button', { name: 'Review the preview again' })).toBeVisible();
    expect(writes).toEqual([]);
    expect(await realmState(admin, realm)).toEqual(before);

    await wizard(page).getByRole('button', { name: 'Close the fix wizard' }).click();
    await page.keyboard.press('Escape');
    await expect(clientRow(page, 'shop-spa')).toBeVisible();
    await expect(clientRow(page, 'orders-web')).toHaveCount(0);
  });
});
