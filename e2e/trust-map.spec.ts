import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { assertVerified, recordWrites, wizard } from './support/wizard.ts';

// A fresh copy of the demo realm per test: shop-spa must carry catalog-api and does not; orders-web carries it
// unasked.
const REALM = 'trust-map-copy';

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

async function clientOf(clientId: string) {
  const [client] = await admin.clients.find({ realm: REALM, clientId });
  if (!client?.id) throw new Error(`the demo copy has no ${clientId}`);
  return { ...client, id: client.id };
}

async function prepareRealm() {
  await importDemoCopy(admin, REALM);
  const spa = await clientOf('shop-spa');
  const { protocolMappers: _mappers, ...rest } = spa;
  await admin.clients.update(
    { realm: REALM, id: spa.id },
    { ...rest, attributes: { ...spa.attributes, [REQUIRES_ATTRIBUTE]: '["catalog-api"]' } },
  );
  const web = await clientOf('orders-web');
  await admin.clients.addProtocolMapper(
    { realm: REALM, id: web.id },
    {
      name: 'catalog-api for orders-web',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
      config: { 'included.client.audience': 'catalog-api', 'access.token.claim': 'true', 'id.token.claim': 'false' },
    },
  );
}

async function goToTrustMap(page: Page) {
  await prepareRealm();
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser('realm-admin'), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Trust map' }).click();
  await expect(page.getByRole('heading', { name: `Trust map of realm ${REALM}` })).toBeVisible();
  await expect(trustMap(page)).toBeVisible();
  await expect(page.getByLabel('Read progress')).toHaveCount(0);
}

const trustMap = (page: Page) => page.getByRole('table', { name: 'Trust map' });

/** The cell of caller × audience, found by its accessible name. */
const cellOf = (page: Page, caller: string, audience: string) =>
  trustMap(page).getByRole('cell', { name: new RegExp(`^${caller} → ${audience}:`) });

async function fillFilter(page: Page, label: 'Filter callers (rows)' | 'Filter audiences (columns)', text: string) {
  await page.getByRole('textbox', { name: label }).fill(text);
}

/** Serious and critical WCAG 2 A/AA violations, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target).join(', ')})`,
    );
}

test('cells say required or not and always, sometimes or never, with their source', async ({ page }) => {
  await goToTrustMap(page);
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toContainText('required✖ never');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAttribute('data-look', 'unasked');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toContainText('not required● always');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAccessibleName(
    `orders-web → catalog-api: not required, carried always; from mapper "catalog-api for orders-web" in the client's own mappers (orders-web-dedicated)`,
  );
  await expect(cellOf(page, 'billing-app', 'billing-app')).toHaveAccessibleName(
    /required, carried always; from mapper "billing-app audience" in client scope "billing-app-audience" \(default\)$/,
  );
  // payroll-app's own mapper is switched off: required, never.
  await expect(cellOf(page, 'payroll-app', 'payroll-app')).toContainText('required✖ never');

  // Filtered to one row: only the audiences that row requires or carries stay.
  await fillFilter(page, 'Filter callers (rows)', 'orders-web');
  await expect(trustMap(page).getByRole('rowheader')).toHaveText([/^orders-web/]);
  await expect(trustMap(page).getByRole('columnheader')).toHaveText([
    'Caller ↓ · audience →',
    /^catalog-api/,
    /^orders-web/,
  ]);
  // Filtered to one column: only its callers.
  await fillFilter(page, 'Filter callers (rows)', '');
  await fillFilter(page, 'Filter audiences (columns)', 'catalog-api');
  await expect(trustMap(page).getByRole('rowheader')).toHaveText([/^orders-web/, /^shop-spa/]);
  expect(await seriousViolations(page)).toEqual([]);
});

test('a red cell opens the cross-client wizard; the fix turns it green; keyboard only, axe-core clean', async ({
  page,
}) => {
  await goToTrustMap(page);
  expect(await seriousViolations(page)).toEqual([]);
  await fillFilter(page, 'Filter callers (rows)', 'shop-spa');
  const fix = cellOf(page, 'shop-spa', 'catalog-api').getByRole('button', {
    name: /^required ✖ never · per user\s*: fix, put catalog-api into the tokens of shop-spa$/,
  });
  // Reached from the filter with Tab alone.
  await page.getByRole('textbox', { name: 'Filter callers (rows)' }).focus();
  for (let presses = 0; presses < 15 && !(await fix.evaluate((node) => node === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(fix).toBeFocused();
  await page.keyboard.press('Enter');

  const crossWizard = wizard(page);
  await expect(crossWizard).toHaveAccessibleName(/^Fix: put catalog-api into other clients' tokens/);
  await expect(page).toHaveURL(/fix=cross/);
  await crossWizard.getByRole('button', { name: 'Next', exact: true }).click();
  await crossWizard.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(crossWizard.getByLabel('Tokens carrying catalog-api after the fix')).toContainText(
    'shop-spa (always applies)',
  );
  await crossWizard.getByRole('button', { name: 'Apply 2 changes' }).click();
  await assertVerified(page, ['shop-spa'], 'catalog-api');
  await crossWizard.getByRole('button', { name: 'Finish', exact: true }).click();
  await crossWizard.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(crossWizard).toBeHidden();

  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAttribute('data-look', 'met');
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toContainText('required✔ always');
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAccessibleName(
    /^shop-spa → catalog-api: required, carried always; from mapper "[^"]+" in client scope "catalog-api-audience" \(default\)$/,
  );
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  expect(await seriousViolations(page)).toEqual([]);
});

test('what if: edited requirements recompute the map and write nothing; the edge list exports', async ({ page }) => {
  await goToTrustMap(page);
  const writes = recordWrites(page);
  await page.getByRole('switch', { name: 'What if: edit requirements' }).check();
  const whatIf = page.getByLabel('What if');
  await whatIf.getByRole('combobox', { name: 'Client to edit' }).fill('shop-spa');
  await page.getByRole('option', { name: 'shop-spa', exact: true }).click();
  const audiences = whatIf.getByRole('combobox', { name: 'Audiences the tokens of shop-spa must carry' });
  await audiences.fill('report-worker');
  await audiences.press('Enter');
  await expect(cellOf(page, 'shop-spa', 'report-worker')).toContainText('required✖ never');
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  // Fixing waits until the edits are left: nothing is written from this mode.
  await expect(cellOf(page, 'shop-spa', 'catalog-api').getByRole('button')).toHaveCount(0);
  // The panel with its suggestions closed (Mantine's open list is a scroll area of its own).
  await audiences.press('Escape');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await whatIf.getByRole('button', { name: 'Undo the edit of shop-spa' }).click();
  await expect(cellOf(page, 'shop-spa', 'report-worker')).toHaveAttribute('data-look', 'empty');
  await page.getByRole('switch', { name: 'What if: edit requirements' }).uncheck();
  expect(writes).toEqual([]);

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export edges (CSV)' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(
    new RegExp(`^audience-doctor-trust-map-${REALM}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
  );
  const text = readFileSync(await csv.path(), 'utf8');
  expect(text.split('\r\n')[0]).toBe('"realm","caller","audience","required","carried","perUser","source"');
  expect(text).toContain(`"${REALM}","shop-spa","catalog-api","true","never","true",""\r\n`);
  expect(text).toContain(
    `"${REALM}","orders-web","catalog-api","false","always","false","mapper ""catalog-api for orders-web"" in the client's own mappers (orders-web-dedicated)"\r\n`,
  );
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export edges (JSON)' }).click(),
  ]);
  const parsed = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(parsed).toMatchObject({ schemaVersion: 1, realm: REALM, whatIf: false });
  expect(parsed.edges).toContainEqual({
    caller: 'shop-spa',
    audience: 'catalog-api',
    required: true,
    carried: 'never',
    perUser: true,
    source: '',
  });
});
