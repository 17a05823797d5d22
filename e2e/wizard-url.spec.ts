import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, test } from '@playwright/test';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { realmState } from './support/realm-state.ts';
import { assertVerified, fixSelected, recordWrites, wizard } from './support/wizard.ts';

// The wizard lives in the URL: reloads and the back button never write, and "all matching" stays a filter.
const REALM = 'wizard-url-copy';

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

async function signIn(page: Page) {
  await importDemoCopy(admin, REALM);
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser('realm-admin'), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

async function toPreview(page: Page, strategy: string) {
  await wizard(page).getByRole('radio', { name: strategy }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(wizard(page).getByLabel('Preview')).toBeVisible();
}

test('a reload at the preview plans again from Keycloak and says when the plan changed', async ({ page }) => {
  await signIn(page);
  const writes = recordWrites(page);
  await fixSelected(page, ['orders-web']);
  await toPreview(page, 'An audience client scope per client');
  const changes = wizard(page).getByLabel('Preview').getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText('"orders-web-audience"');
  expect(hashParams(page).get('fixStep')).toBe('preview');
  const runId = hashParams(page).get('fixRun');

  await page.reload();
  await expect(changes).toContainText('"orders-web-audience"');
  await expect(wizard(page).getByRole('alert', { name: /plan changed/ })).toHaveCount(0);
  expect(hashParams(page).get('fixRun')).toBe(runId);

  // Someone takes the planned name: the same URL now plans another name, and says so.
  await admin.clientScopes.create({ realm: REALM, name: 'orders-web-audience', protocol: 'openid-connect' });
  await page.reload();
  await expect(
    wizard(page).getByRole('alert', { name: 'The plan changed since this preview was shown' }),
  ).toBeVisible();
  await expect(changes).toContainText('"orders-web-audience-2"');
  expect(writes).toEqual([]);
});

test('after apply, the back button and a reload show the run from its journal and never write', async ({ page }) => {
  await signIn(page);
  const writes = recordWrites(page);
  await fixSelected(page, ['orders-web']);
  await toPreview(page, 'Audience mapper on each client');
  await wizard(page).getByRole('button', { name: 'Apply 1 change' }).click();
  await assertVerified(page, ['orders-web']);
  expect(writes).toHaveLength(1);
  expect(hashParams(page).get('fixStep')).toBe('verify');
  const after = await realmState(admin, REALM);

  await page.goBack();
  await expect(wizard(page).getByLabel('Apply').getByRole('alert', { name: 'Applied' })).toBeVisible();
  await page.goBack();
  await expect(wizard(page).getByRole('alert', { name: /^This preview became run / })).toBeVisible();
  await expect(wizard(page).getByRole('button', { name: /^Apply / })).toHaveCount(0);
  await page.goForward();
  await page.goForward();
  await assertVerified(page, ['orders-web']);

  // A reload signs in again and shows the same run from its journal.
  await page.reload();
  await assertVerified(page, ['orders-web']);
  expect(hashParams(page).get('fixStep')).toBe('verify');

  expect(writes).toHaveLength(1);
  expect(await realmState(admin, REALM)).toEqual(after);
});

test('"all matching" is kept as the filter: a reload selects what matches in the realm then', async ({ page }) => {
  await signIn(page);
  await page.getByRole('textbox', { name: 'Search clients' }).fill('-app');
  await page.getByRole('button', { name: 'Select all 3 matching clients' }).click();
  await page.getByRole('button', { name: 'Fix all 3 matching' }).click();
  await expect(page.getByRole('dialog', { name: `Fix 3 clients in realm ${REALM}` })).toBeVisible();
  const params = hashParams(page);
  expect(params.get('selected')).toBe('all');
  expect(params.getAll('fixClient')).toEqual(['all-matching']);
  expect(params.get('q')).toBe('-app');
  await wizard(page).getByRole('button', { name: 'Close the fix wizard' }).click();

  await admin.clients.create({ realm: REALM, clientId: 'extra-app', publicClient: true, standardFlowEnabled: true });
  await page.reload();
  await expect(page.getByText('All 4 clients matching the filter are selected.')).toBeVisible();
  await page.getByRole('button', { name: 'Fix all 4 matching' }).click();
  await expect(page.getByRole('dialog', { name: `Fix 4 clients in realm ${REALM}` })).toBeVisible();
});
