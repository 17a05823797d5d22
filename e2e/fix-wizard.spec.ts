import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { assertVerdict, clientRow, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { assertVerified, fixSelected, recordWrites, wizard } from './support/wizard.ts';

// Each test fixes clients of its own fresh copy of the demo realm, signed in as that copy's realm-admin.
const REALM = 'wizard-copy';

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

async function signIn(page: Page, username = 'realm-admin', prepare?: () => Promise<void>) {
  await importDemoCopy(admin, REALM);
  await prepare?.();
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser(username), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

async function selectClients(page: Page, clientIds: string[]) {
  await fixSelected(page, clientIds);
  await expect(wizard(page)).toBeVisible();
}

async function previewAndApply(page: Page, changes: number) {
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  const apply = wizard(page).getByRole('button', { name: `Apply ${changes} change${changes === 1 ? '' : 's'}` });
  await apply.click();
}

async function assertProven(page: Page, clientIds: string[]) {
  await assertVerified(page, clientIds);
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(wizard(page).getByRole('alert', { name: 'Done' })).toContainText(
    'Tokens already issued keep their old aud until they are refreshed',
  );
}

test('from a flagged client: dedicated mapper, previewed, applied with one write, proven by a token', async ({
  page,
}) => {
  await signIn(page);
  const writes = recordWrites(page);
  await openClient(page, 'orders-web');
  await page.getByRole('button', { name: 'Fix this client…' }).click();
  await expect(wizard(page).getByRole('radio', { name: 'Audience mapper on each client' })).toBeChecked();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();

  const preview = wizard(page).getByLabel('Preview');
  await expect(preview.getByRole('list', { name: 'Changes' })).toContainText('orders-web-audience');
  await expect(preview.getByLabel('Predicted result')).toContainText('orders-web');
  await preview.getByRole('tab', { name: 'REST calls' }).click();
  await expect(preview.locator('pre[aria-label="REST calls"]')).toContainText(
    `POST http://localhost:8080/admin/realms/${REALM}/clients/`,
  );
  await preview.getByRole('tab', { name: 'kcadm.sh script' }).click();
  await expect(preview.locator('pre[aria-label="kcadm.sh script"]')).toContainText('protocol-mappers/models');
  expect(writes).toEqual([]);

  await wizard(page).getByRole('button', { name: 'Apply 1 change' }).dblclick();
  await assertProven(page, ['orders-web']);
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/^POST .*\/protocol-mappers\/models$/);

  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();
  await page.keyboard.press('Escape');
  await assertVerdict(page, 'orders-web', 'ok');

  // A second run over the fixed client writes nothing.
  await selectClients(page, ['orders-web']);
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(wizard(page).getByRole('alert', { name: 'Left as they are' })).toContainText(
    'already carry its clientId',
  );
  await expect(wizard(page).getByRole('button', { name: 'Apply 0 changes' })).toBeDisabled();
  expect(writes).toHaveLength(1);
});

test('"Fix selected": a client scope per client, with an edited name made valid', async ({ page }) => {
  await signIn(page);
  const writes = recordWrites(page);
  await selectClients(page, ['orders-web', 'shop-spa']);
  await wizard(page).getByRole('radio', { name: 'An audience client scope per client' }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  const name = wizard(page).getByRole('textbox', { name: 'Scope name for orders-web' });
  await name.fill('orders web "aud"');
  await expect(
    wizard(page).getByText(/is not allowed.*It will be created as "orders-web--aud--[0-9a-f]{8}"/),
  ).toBeVisible();
  await previewAndApply(page, 4);
  await assertProven(page, ['orders-web', 'shop-spa']);
  expect(writes).toHaveLength(4);
  const scopes = await admin.clientScopes.find({ realm: REALM });
  expect(scopes.map((scope) => scope.name)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^orders-web--aud--[0-9a-f]{8}$/), 'shop-spa-audience']),
  );
});

test('shared scope: lists who accepts whose tokens and applies only after consent', async ({ page }) => {
  await signIn(page);
  await selectClients(page, ['orders-web', 'shop-spa']);
  await wizard(page).getByRole('radio', { name: 'One shared scope for all selected clients' }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('textbox', { name: 'Name of the shared scope' }).fill('good-service');
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  const acceptance = wizard(page).getByRole('alert', { name: 'These services will accept each other’s tokens' });
  await expect(acceptance).toContainText('orders-web will accept access tokens issued to shop-spa');
  await expect(acceptance).toContainText('shop-spa will accept access tokens issued to orders-web');
  const apply = wizard(page).getByRole('button', { name: 'Apply 3 changes' });
  await expect(apply).toBeDisabled();
  await acceptance.getByRole('checkbox').check();
  await apply.click();
  await assertProven(page, ['orders-web', 'shop-spa']);
  expect(await admin.clientScopes.findOneByName({ realm: REALM, name: 'good-service' })).toBeDefined();
});

test('repair is offered first for a broken fix, and switches the existing mapper on', async ({ page }) => {
  await signIn(page);
  await openClient(page, 'payroll-app');
  await page.getByRole('button', { name: 'Fix this client…' }).click();
  await expect(wizard(page).getByRole('radio', { name: 'Repair the existing mapper' })).toBeChecked();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await previewAndApply(page, 1);
  await assertProven(page, ['payroll-app']);
  const [payroll] = await admin.clients.find({ realm: REALM, clientId: 'payroll-app' });
  const audience = (payroll?.protocolMappers ?? []).filter((m) => m.protocolMapper === 'oidc-audience-mapper');
  expect(audience).toHaveLength(1);
  expect(audience[0]?.config?.['access.token.claim']).toBe('true');
});

test('the auditor cannot open the wizard', async ({ page }) => {
  await signIn(page, 'auditor');
  await clientRow(page, 'orders-web').getByRole('checkbox', { name: 'Select orders-web', exact: true }).check();
  await expect(page.getByRole('button', { name: /Fix selected/ })).toBeDisabled();
  await openClient(page, 'orders-web');
  await expect(page.getByRole('button', { name: 'Fix this client…' })).toBeDisabled();
});

test('cross-client: puts catalog-api into the tokens of shop-spa, with who-carries-it before and after', async ({
  page,
}) => {
  await signIn(page);
  await openClient(page, 'catalog-api');
  await page.getByRole('button', { name: "Put catalog-api into other clients' tokens…" }).click();
  const crossWizard = page.getByRole('dialog', { name: /^Fix: put catalog-api into other clients' tokens/ });
  await crossWizard.getByRole('combobox', { name: 'Clients whose tokens should carry catalog-api' }).click();
  await page.getByRole('option', { name: 'shop-spa', exact: true }).click();
  await page.keyboard.press('Escape');
  await crossWizard.getByRole('button', { name: 'Next', exact: true }).click();
  await crossWizard.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(crossWizard.getByLabel('Tokens carrying catalog-api now')).toContainText('no client');
  await expect(crossWizard.getByLabel('Tokens carrying catalog-api after the fix')).toContainText(
    'shop-spa (always applies)',
  );
  await crossWizard.getByRole('button', { name: 'Apply 2 changes' }).click();
  await assertVerified(page, ['shop-spa'], 'catalog-api');
  await crossWizard.getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(crossWizard.getByRole('alert', { name: 'Done' })).toContainText(
    'The tokens of shop-spa now carry catalog-api in aud.',
  );
});

test('from an unmet requirement: puts catalog-api into shop-spa’s tokens, and the requirement is met', async ({
  page,
}) => {
  await signIn(page, 'realm-admin', async () => {
    const [spa] = await admin.clients.find({ realm: REALM, clientId: 'shop-spa' });
    if (!spa?.id) throw new Error('the demo copy has no shop-spa');
    const { protocolMappers: _mappers, ...rest } = spa;
    await admin.clients.update(
      { realm: REALM, id: spa.id },
      { ...rest, attributes: { ...spa.attributes, [REQUIRES_ATTRIBUTE]: '["catalog-api"]' } },
    );
  });
  await assertVerdict(page, 'shop-spa', 'missing');
  await openClient(page, 'shop-spa');
  const requirements = page.getByRole('dialog', { name: 'shop-spa' }).getByLabel('Requirements');
  await expect(requirements).toContainText(`As its attribute "${REQUIRES_ATTRIBUTE}" says.`);
  await expect(requirements.locator('[data-requirement="catalog-api"]')).toContainText('unmet');
  // Its own clientId is not required: the own-audience fix is not offered.
  await expect(page.getByRole('button', { name: 'Fix this client…' })).toHaveCount(0);
  await requirements.getByRole('button', { name: 'Put catalog-api into its tokens…' }).click();

  const crossWizard = page.getByRole('dialog', { name: /^Fix: put catalog-api into other clients' tokens/ });
  await crossWizard.getByRole('button', { name: 'Next', exact: true }).click();
  await crossWizard.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(crossWizard.getByLabel('Tokens carrying catalog-api after the fix')).toContainText(
    'shop-spa (always applies)',
  );
  await crossWizard.getByRole('button', { name: 'Apply 2 changes' }).click();
  await assertVerified(page, ['shop-spa'], 'catalog-api');
  await crossWizard.getByRole('button', { name: 'Finish', exact: true }).click();
  await crossWizard.getByRole('button', { name: 'Close', exact: true }).click();
  await assertVerdict(page, 'shop-spa', 'ok');
});
