import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { ruleApplies } from '../src/audit/version-rules.ts';
import { keycloakUrl } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { seriousViolations } from './support/axe.ts';
import { clientRow } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { demoCopyForSpec } from './support/demo-copy.ts';
import { introspectedActive as introspected } from './support/introspection.ts';
import { signInAs } from './support/keycloak-login.ts';
import { audOf, decodeJwtPayload, requestToken } from './support/real-tokens.ts';
import { serverVersion } from './support/server-version.ts';
import { assertVerified, recordWrites, wizard } from './support/wizard.ts';

// A fresh copy of the demo realm per test: shop-spa must carry catalog-api and does not; orders-web carries it
// unasked. alice holds a client role of orders-web, so the audience-resolve mapper puts orders-web into her
// shop-spa tokens: a client in their aud that can introspect them.
const REALM = 'trust-map-copy';
const ORDERS_WEB_ROLE = 'order-viewer';

const { admin: masterClient, importCopy, clientOf } = demoCopyForSpec(REALM);

async function prepareRealm() {
  await importCopy();
  const spa = await clientOf('shop-spa');
  const { protocolMappers: _mappers, ...rest } = spa;
  await masterClient().clients.update(
    { realm: REALM, id: spa.id },
    { ...rest, attributes: { ...spa.attributes, [REQUIRES_ATTRIBUTE]: '["catalog-api"]' } },
  );
  const web = await clientOf('orders-web');
  await masterClient().clients.addProtocolMapper(
    { realm: REALM, id: web.id },
    {
      name: 'catalog-api for orders-web',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
      config: { 'included.client.audience': 'catalog-api', 'access.token.claim': 'true', 'id.token.claim': 'false' },
    },
  );
  await masterClient().clients.createRole({ realm: REALM, id: web.id, name: ORDERS_WEB_ROLE });
  const role = await masterClient().clients.findRole({ realm: REALM, id: web.id, roleName: ORDERS_WEB_ROLE });
  const [alice] = await masterClient().users.find({ realm: REALM, username: 'alice', exact: true });
  if (!role?.id || !alice?.id) throw new Error('the demo copy has no alice, or orders-web no role');
  await masterClient().users.addClientRoleMappings({
    realm: REALM,
    id: alice.id,
    clientUniqueId: web.id,
    roles: [{ id: role.id, name: ORDERS_WEB_ROLE }],
  });
}

/** A real access token of shop-spa for alice, from the authorization-code flow with PKCE it is made for. */
async function shopSpaToken(): Promise<string> {
  const spa = await clientOf('shop-spa');
  const redirectUri = spa.redirectUris?.[0];
  if (!redirectUri) throw new Error('the demo copy of shop-spa has no redirect URI');
  const outcome = await requestToken('authorization_code', {
    baseUrl: keycloakUrl(),
    realm: REALM,
    clientId: 'shop-spa',
    user: demoUser('alice'),
    redirectUri,
  });
  if (outcome.kind !== 'token') throw new Error(`shop-spa: ${outcome.error} ${outcome.description ?? ''}`);
  return outcome.accessToken;
}

/** Keycloak's answer to the confidential `clientId` introspecting `token` with its own secret. */
async function introspectedActive(clientId: string, token: string): Promise<boolean> {
  const client = await clientOf(clientId);
  const { value: secret } = await masterClient().clients.getClientSecret({ realm: REALM, id: client.id });
  if (!secret) throw new Error(`${clientId} of the demo copy has no secret`);
  return introspected(REALM, clientId, secret, token);
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

const trustMap = (page: Page) => page.getByRole('grid', { name: 'Trust map' });

/** The cell of caller × audience, found by its accessible name. */
const cellOf = (page: Page, caller: string, audience: string) =>
  trustMap(page).getByRole('gridcell', { name: new RegExp(`^${caller} → ${audience}:`) });

/** The grid cell that holds the focus, itself or with its fix button. */
const focusedCell = (page: Page): Locator => trustMap(page).locator('[data-trust-cell]:focus-within');

/** A cell's accessible name starts with its caller and audience. */
const named = (caller: string, audience: string) => new RegExp(`^${caller} → ${audience}:`);

/** Tab from `from` until the focus is in the grid: the grid is one tab stop. */
async function tabIntoGrid(page: Page, from: Locator) {
  await from.focus();
  const inGrid = () => trustMap(page).evaluate((grid) => grid.contains(document.activeElement));
  for (let presses = 0; presses < 15 && !(await inGrid()); presses++) await page.keyboard.press('Tab');
  expect(await inGrid(), 'Tab reaches the grid').toBe(true);
}

async function fillFilter(page: Page, label: 'Filter callers (rows)' | 'Filter audiences (columns)', text: string) {
  await page.getByRole('textbox', { name: label }).fill(text);
}

test('cells say required or not and always, sometimes or never, with their source', async ({ page }) => {
  await goToTrustMap(page);
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toContainText('required✖ never');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAttribute('data-look', 'unasked');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toContainText('not required● always');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAccessibleName(
    `orders-web → catalog-api: not required, always; carried for every login; from mapper "catalog-api for orders-web" in the client's own mappers (orders-web-dedicated)`,
  );
  await expect(cellOf(page, 'billing-app', 'billing-app')).toHaveAccessibleName(
    /: required, always; carried for every login; from mapper "billing-app audience" in client scope "billing-app-audience" \(default\)$/,
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

test('the grid is one tab stop that the arrow keys, Home, End and PageDown move through', async ({ page }) => {
  // Smaller than the map (7 callers × 7 audiences), so moving has to scroll the region both ways.
  await page.setViewportSize({ width: 760, height: 560 });
  await goToTrustMap(page);
  const filter = page.getByRole('textbox', { name: 'Filter audiences (columns)' });
  const region = page.getByRole('region', { name: 'Trust map, scrollable' });
  // The grid's tab stop is the region's focusable content: the region itself is none.
  await expect(region).not.toHaveAttribute('tabindex');
  await tabIntoGrid(page, filter);
  const assertFocused = async (caller: string, audience: string) => {
    await expect(focusedCell(page)).toHaveAccessibleName(named(caller, audience));
    // Whole but for a pixel: the page scrolls by whole pixels to a cell at a fractional place.
    await expect(focusedCell(page)).toBeInViewport({ ratio: 0.95 });
  };
  // Callers and audiences in name order; the grid starts at its first cell.
  await assertFocused('audience-doctor', 'audience-doctor');
  await page.keyboard.press('ArrowRight');
  await assertFocused('audience-doctor', 'billing-app');
  await page.keyboard.press('ArrowDown');
  await assertFocused('billing-app', 'billing-app');
  await page.keyboard.press('End');
  await assertFocused('billing-app', 'report-worker');
  await page.keyboard.press('Home');
  await assertFocused('billing-app', 'audience-doctor');
  await page.keyboard.press('PageDown');
  await assertFocused('shop-spa', 'audience-doctor');
  await page.keyboard.press('Control+Home');
  await assertFocused('audience-doctor', 'audience-doctor');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await assertFocused('audience-doctor', 'audience-doctor');
  await page.keyboard.press('Control+End');
  await assertFocused('shop-spa', 'report-worker');
  expect(await seriousViolations(page)).toEqual([]);

  // One tab stop: Tab leaves the grid, Shift+Tab comes back to the same cell.
  await page.keyboard.press('Tab');
  await expect(focusedCell(page)).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await assertFocused('shop-spa', 'report-worker');
  // Scrolled away from it with the mouse, the active cell is still where Tab goes.
  await trustMap(page).hover();
  await page.mouse.wheel(-2000, -2000);
  await expect(cellOf(page, 'shop-spa', 'report-worker')).not.toBeInViewport();
  await tabIntoGrid(page, filter);
  await assertFocused('shop-spa', 'report-worker');

  // A filter that shrinks the map moves the tab stop to the nearest cell left: shop-spa's row only.
  await fillFilter(page, 'Filter callers (rows)', 'shop-spa');
  await expect(trustMap(page).getByRole('rowheader')).toHaveText([/^shop-spa/]);
  const columns = Number(await trustMap(page).getAttribute('data-trust-columns'));
  await tabIntoGrid(page, page.getByRole('textbox', { name: 'Filter callers (rows)' }));
  await expect(focusedCell(page)).toHaveAttribute('data-column', String(columns - 1));
  await expect(focusedCell(page)).toHaveAccessibleName(/^shop-spa → /);

  // With no cell left the region itself is the tab stop, so it still scrolls by keyboard.
  await fillFilter(page, 'Filter callers (rows)', 'no such caller');
  await expect(page.getByText('No caller matches.')).toBeVisible();
  await expect(region).toHaveAttribute('tabindex', '0');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a red cell opens the cross-client wizard; the fix turns it green; keyboard only, axe-core clean', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await goToTrustMap(page);
  expect(await seriousViolations(page)).toEqual([]);

  // Keycloak itself, before the fix: alice's shop-spa token lacks catalog-api, so from the versions that check
  // the audience catalog-api's introspection calls it inactive, while orders-web, in its aud, is told active.
  const checks = ruleApplies('introspectionChecksAudience', await serverVersion());
  const before = await shopSpaToken();
  expect(audOf(decodeJwtPayload(before))).toContain('orders-web');
  expect(audOf(decodeJwtPayload(before))).not.toContain('catalog-api');
  expect(await introspectedActive('catalog-api', before)).toBe(!checks);
  expect(await introspectedActive('orders-web', before)).toBe(true);
  await expect(cellOf(page, 'shop-spa', 'catalog-api')).toHaveAttribute('data-look', 'unmet');

  // Reached with Tab and the arrow keys alone: the last row, its first cell, two to the right.
  await tabIntoGrid(page, page.getByRole('textbox', { name: 'Filter audiences (columns)' }));
  await page.keyboard.press('Control+End');
  await expect(focusedCell(page)).toHaveAccessibleName(named('shop-spa', 'report-worker'));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(focusedCell(page)).toHaveAccessibleName(named('shop-spa', 'catalog-api'));
  const fix = cellOf(page, 'shop-spa', 'catalog-api').getByRole('button', {
    name: /^required ✖ never · per user\s*: fix, put catalog-api into the tokens of shop-spa$/,
  });
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
    /^shop-spa → catalog-api: required, always; carried for every login; from mapper "[^"]+" in client scope "catalog-api-audience" \(default\)$/,
  );
  // After the fix: a newly issued token passes catalog-api's introspection; the one issued before keeps its aud.
  const after = await shopSpaToken();
  expect(audOf(decodeJwtPayload(after))).toContain('catalog-api');
  expect(await introspectedActive('catalog-api', after)).toBe(true);
  expect(await introspectedActive('catalog-api', before)).toBe(!checks);

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
