import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, type Route, test } from '@playwright/test';
import { APP_URL } from '../playwright.config.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { assertVerdict, clientRow, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { realmState } from './support/realm-state.ts';
import { answerConfirmation, fixSelected, wizard } from './support/wizard.ts';

// Runs over several clients against a fresh copy of the demo realm: failures at every step, undo, reload.
const REALM = 'bulk-copy';
const CLIENTS = ['orders-web', 'shop-spa', 'report-worker'];
/** A client scope per client: two writes each. */
const STEPS = CLIENTS.length * 2;

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

const isWrite = (method: string) => method === 'POST' || method === 'PUT' || method === 'DELETE';
const corsHeaders = { 'access-control-allow-origin': new URL(APP_URL).origin, 'content-type': 'application/json' };

/** Calls `onWrite` with the number (1, 2, …) of every Admin API write of the realm the page sends. */
async function interceptWrites(page: Page, onWrite: (count: number, route: Route) => Promise<void>) {
  const writes = { count: 0 };
  await page.route(`**/admin/realms/${REALM}/**`, async (route) => {
    if (!isWrite(route.request().method())) return route.continue();
    writes.count += 1;
    return onWrite(writes.count, route);
  });
  return writes;
}

const appConfig = () => ({ ...shippedConfig(), realm: REALM });

async function signIn(page: Page) {
  await importDemoCopy(admin, REALM);
  await serveConfig(page, appConfig());
  await signInAs(page, demoUser('realm-admin'), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

/** Starts a client-scope run over CLIENTS; the caller waits for its end. */
async function startScopeRun(page: Page) {
  await fixSelected(page, CLIENTS);
  await wizard(page).getByRole('radio', { name: 'An audience client scope per client' }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await wizard(page)
    .getByRole('button', { name: `Apply ${STEPS} changes` })
    .click();
}

async function closeWizard(page: Page) {
  await wizard(page).getByRole('button', { name: 'Close the fix wizard' }).click();
  await expect(wizard(page)).toBeHidden();
}

/** Holds the `at`-th write until `release()`; `reached` settles when the page has sent it. */
function holdWrite(at: number) {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  let release: (pass: boolean) => void = () => undefined;
  const released = new Promise<boolean>((resolve) => {
    release = resolve;
  });
  const onWrite = async (count: number, route: Route) => {
    if (count !== at) return route.continue();
    reach();
    return (await released) ? route.continue() : route.abort().catch(() => undefined);
  };
  return { reached, release, onWrite };
}

test('a failure at every step of a 3-client run leaves the realm exactly as it was', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const before = await realmState(admin, REALM);
  let failAt = 0;
  const writes = await interceptWrites(page, async (count, route) => {
    if (count === failAt) {
      return route.fulfill({ status: 500, headers: corsHeaders, body: '{"errorMessage":"injected failure"}' });
    }
    return route.continue();
  });
  for (let step = 1; step <= STEPS; step++) {
    failAt = writes.count + step;
    await startScopeRun(page);
    await expect(wizard(page).getByRole('alert').first()).toContainText(/Step \d of 6 failed/);
    await expect(wizard(page).getByRole('alert').first()).toContainText('injected failure');
    await expect(wizard(page).getByRole('alert').first()).toContainText('Everything this run wrote has been undone.');
    expect(await realmState(admin, REALM), `failure at write ${step}`).toEqual(before);
    await closeWizard(page);
  }
});

test('a name taken meanwhile (409) stops the run, undoes its writes and leaves the other scope alone', async ({
  page,
}) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  await interceptWrites(page, async (count, route) => {
    const body = route.request().postDataJSON() as { name?: string } | null;
    if (count === 3 && body?.name) {
      await admin.clientScopes.create({ realm: REALM, name: body.name, protocol: 'openid-connect' });
    }
    return route.continue();
  });
  await startScopeRun(page);
  const report = wizard(page).getByRole('alert').first();
  await expect(report).toContainText('was created by someone else meanwhile');
  await expect(report).toContainText('Everything this run wrote has been undone.');
  const after = await realmState(admin, REALM);
  const foreign = after.clientScopes.filter((scope) => !before.clientScopes.some((old) => old.name === scope.name));
  expect(foreign).toHaveLength(1);
  expect({ ...after, clientScopes: after.clientScopes.filter((scope) => !foreign.includes(scope)) }).toEqual(before);
});

test('a 403 after the admin lost manage-clients: the report names exactly what remains', async ({ page }) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  await interceptWrites(page, async (count, route) => {
    // The 4th write is the first link: its client's scope is in Keycloak by then, so something must remain.
    if (count === 4) {
      const [roleClient] = await admin.clients.find({ realm: REALM, clientId: 'realm-management' });
      const [user] = await admin.users.find({ realm: REALM, username: 'realm-admin', exact: true });
      const role = await admin.clients.findRole({
        realm: REALM,
        id: roleClient?.id as string,
        roleName: 'manage-clients',
      });
      await admin.users.delClientRoleMappings({
        realm: REALM,
        id: user?.id as string,
        clientUniqueId: roleClient?.id as string,
        roles: [{ id: role?.id as string, name: 'manage-clients' }],
      });
    }
    return route.continue();
  });
  await startScopeRun(page);
  const report = wizard(page).getByRole('alert').first();
  await expect(report).toContainText('HTTP 403');
  await expect(report).toContainText('Still in Keycloak:');
  const text = (await report.textContent()) ?? '';
  const after = await realmState(admin, REALM);
  const added = after.clientScopes.filter((scope) => !before.clientScopes.some((old) => old.name === scope.name));
  expect(added.length).toBeGreaterThan(0);
  for (const scope of added) expect(text).toContain(`Create client scope "${scope.name}"`);
});

test('undo after success restores the exact previous state; undo after a later change refuses', async ({ page }) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  await startScopeRun(page);
  await expect(wizard(page).getByRole('table', { name: 'Verification result' })).toContainText('✔ report-worker');
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();

  await page.getByRole('button', { name: 'Recent runs' }).click();
  const runs = page.getByRole('dialog', { name: 'Recent fix runs' });
  const applied = await realmState(admin, REALM);
  // Undo asks first; cancelling writes nothing.
  await runs.getByRole('button', { name: 'Undo this run' }).first().click();
  await answerConfirmation(page, 'Undo this run', false);
  await expect(runs.getByRole('alert', { name: 'Undo' })).toHaveCount(0);
  expect(await realmState(admin, REALM)).toEqual(applied);
  await runs.getByRole('button', { name: 'Undo this run' }).first().click();
  await answerConfirmation(page, 'Undo this run', true);
  await expect(runs.getByRole('alert', { name: 'Undo' })).toContainText('Undone:');
  expect(await realmState(admin, REALM)).toEqual(before);
  await page.getByRole('button', { name: 'Close recent runs' }).click();
  await assertVerdict(page, 'orders-web', 'missing');

  // Run again, then change one of its scopes by hand: undo must refuse and write nothing.
  await startScopeRun(page);
  await expect(wizard(page).getByRole('table', { name: 'Verification result' })).toContainText('✔ report-worker');
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();
  const scope = await admin.clientScopes.findOneByName({ realm: REALM, name: 'shop-spa-audience' });
  await admin.clientScopes.update({ realm: REALM, id: scope?.id as string }, { ...scope, description: 'edited' });
  const changed = await realmState(admin, REALM);
  await page.getByRole('button', { name: 'Recent runs' }).click();
  await runs.getByRole('button', { name: 'Undo this run' }).first().click();
  await answerConfirmation(page, 'Undo this run', true);
  await expect(runs.getByRole('alert', { name: 'Undo' })).toContainText(
    'Not undone, because it was changed since the run: client scope "shop-spa-audience" was changed',
  );
  expect(await realmState(admin, REALM)).toEqual(changed);
});

test('reload during a run: after signing in again the interrupted run is offered, and rollback works', async ({
  page,
}) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  // The fourth write never reaches Keycloak: the page is reloaded while it waits.
  const hold = holdWrite(4);
  await interceptWrites(page, hold.onWrite);
  await startScopeRun(page);
  await hold.reached;
  expect(await realmState(admin, REALM)).not.toEqual(before);
  await page.reload();
  hold.release(false);

  // The URL still names the run: the wizard shows it from its journal, and writes nothing again.
  await expect(wizard(page).getByRole('alert', { name: 'This run was interrupted' })).toBeVisible();
  await closeWizard(page);
  const banner = page.getByRole('alert', { name: /^Fix run .* was interrupted$/ });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Roll back' }).click();
  await answerConfirmation(page, 'Roll back', true);
  await expect(page.getByRole('alert', { name: 'Interrupted run' })).toContainText('Undone:');
  expect(await realmState(admin, REALM)).toEqual(before);
  await openClient(page, 'orders-web');
  await expect(page.getByRole('dialog').getByLabel('Explanation')).toContainText('Missing');
});

test('cancel stops the run and rolls back what it wrote', async ({ page }) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  const hold = holdWrite(2);
  await interceptWrites(page, hold.onWrite);
  await startScopeRun(page);
  await hold.reached;
  await wizard(page).getByRole('button', { name: 'Cancel and roll back' }).click();
  hold.release(true);
  await expect(wizard(page).getByRole('alert').first()).toContainText(/Cancelled after \d of 6 steps/);
  await expect(wizard(page).getByRole('alert').first()).toContainText('Everything this run wrote has been undone.');
  expect(await realmState(admin, REALM)).toEqual(before);
});

test('an interrupted run can be resumed after signing in again', async ({ page }) => {
  await signIn(page);
  const hold = holdWrite(4);
  await interceptWrites(page, hold.onWrite);
  await startScopeRun(page);
  await hold.reached;
  await page.reload();
  hold.release(false);
  await expect(wizard(page).getByRole('alert', { name: 'This run was interrupted' })).toBeVisible();
  await closeWizard(page);
  const banner = page.getByRole('alert', { name: /^Fix run .* was interrupted$/ });
  await banner.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('alert', { name: 'Interrupted run' })).toContainText('Applied');
  for (const clientId of CLIENTS) await assertVerdict(page, clientId, 'ok');
  const scopes = (await admin.clientScopes.find({ realm: REALM })).map((scope) => scope.name);
  // Resuming reuses what the first attempt created instead of making a second scope.
  expect(scopes.filter((name) => name?.startsWith('orders-web-audience'))).toEqual(['orders-web-audience']);
});

test('after a failed run, going back to the preview starts a new run with a journal of its own', async ({ page }) => {
  await signIn(page);
  await interceptWrites(page, async (count, route) =>
    count === 2
      ? route.fulfill({ status: 500, headers: corsHeaders, body: '{"errorMessage":"injected"}' })
      : route.continue(),
  );
  await startScopeRun(page);
  await expect(wizard(page).getByRole('alert').first()).toContainText('Everything this run wrote has been undone.');
  await wizard(page).getByRole('button', { name: 'Review the preview again' }).click();
  await wizard(page)
    .getByRole('button', { name: `Apply ${STEPS} changes` })
    .click();
  await expect(wizard(page).getByRole('table', { name: 'Verification result' })).toContainText('✔ report-worker');
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();

  await page.getByRole('button', { name: 'Recent runs' }).click();
  const runs = page.getByRole('dialog', { name: 'Recent fix runs' });
  await expect(runs.getByLabel(/^Run /)).toHaveCount(2);
  await expect(runs.getByLabel(/^Run /).nth(0)).toContainText('applied');
  await expect(runs.getByLabel(/^Run /).nth(1)).toContainText('rolled back');
});
