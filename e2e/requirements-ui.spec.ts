import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { seriousViolations } from './support/axe.ts';
import { assertVerdict, clientRow } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { demoCopyForSpec } from './support/demo-copy.ts';
import { signInAs } from './support/keycloak-login.ts';
import { realmState } from './support/realm-state.ts';
import { answerConfirmation, recordWrites, wizard } from './support/wizard.ts';

/**
 * Requirements edited in the dashboard — imported from a `--requirements` file, changed in bulk — and
 * written through the fix wizard, against a fresh copy of the demo realm with three clients that state
 * requirements already: shop-spa (["catalog-api"]), authz-app (Authorization Services, ["authz-app"]) and
 * report-worker, whose attribute is no list.
 */
const REALM = 'requirements-ui-copy';
const JUNK = 'catalog-api, billing-app';

const { admin: masterClient, importCopy, clientOf } = demoCopyForSpec(REALM);

const attributeOf = async (clientId: string) => (await clientOf(clientId)).attributes?.[REQUIRES_ATTRIBUTE];

async function setAttribute(clientId: string, value: string) {
  const { protocolMappers: _mappers, ...client } = await clientOf(clientId);
  await masterClient().clients.update(
    { realm: REALM, id: client.id },
    { ...client, attributes: { ...client.attributes, [REQUIRES_ATTRIBUTE]: value } },
  );
}

async function resourcesOf(clientId: string) {
  const { id } = await clientOf(clientId);
  return (await masterClient().clients.listResources({ realm: REALM, id })).map((resource) => resource.name).sort();
}

async function prepareRealm() {
  await importCopy();
  await setAttribute('shop-spa', '["catalog-api"]');
  await setAttribute('report-worker', JUNK);
  await masterClient().clients.create({
    realm: REALM,
    clientId: 'authz-app',
    publicClient: false,
    standardFlowEnabled: true,
    serviceAccountsEnabled: true,
    authorizationServicesEnabled: true,
    attributes: { [REQUIRES_ATTRIBUTE]: '["authz-app"]' },
  });
  const { id } = await clientOf('authz-app');
  await masterClient().clients.createResource({ realm: REALM, id }, { name: 'orders', uris: ['/orders/*'] });
}

async function goToTrustMap(page: Page, username = 'realm-admin') {
  await prepareRealm();
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser(username), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Trust map' }).click();
  await expect(trustMap(page)).toBeVisible();
  await expect(page.getByLabel('Read progress')).toHaveCount(0);
}

const trustMap = (page: Page) => page.getByRole('grid', { name: 'Trust map' });
const cellOf = (page: Page, caller: string, audience: string) =>
  trustMap(page).getByRole('gridcell', { name: new RegExp(`^${caller} → ${audience}:`) });
const whatIfPanel = (page: Page) => page.getByRole('region', { name: 'What if' });
const pendingTable = (page: Page) => page.getByRole('table', { name: 'Pending requirements' });

async function openWhatIf(page: Page, tab: 'One client' | 'Several clients' | 'Import / export') {
  const toggle = page.getByRole('switch', { name: 'What if: edit requirements' });
  if (!(await toggle.isChecked())) await toggle.check();
  await whatIfPanel(page).getByRole('tab', { name: tab }).click();
}

/** Picks a file in the browser's file chooser that "Import a requirements file…" opens. */
async function importFile(page: Page, name: string, content: string) {
  const chooser = page.waitForEvent('filechooser');
  await whatIfPanel(page).getByRole('button', { name: 'Import a requirements file…' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

/** Selects every client the bulk list's filter matches and applies one change to them. */
async function bulkChange(page: Page, filter: string, matching: number, change: string, audience?: string) {
  const panel = whatIfPanel(page);
  await panel.getByRole('textbox', { name: 'Filter clients' }).fill(filter);
  await panel.getByRole('checkbox', { name: `Select all ${matching} matching` }).check();
  await panel.getByRole('combobox', { name: 'Change' }).selectOption({ label: change });
  if (audience !== undefined) {
    const input = panel.getByLabel('Audience', { exact: true });
    await input.fill(audience);
    await input.press('Escape');
  }
  await panel.getByRole('button', { name: `Apply to ${matching} selected client${matching === 1 ? '' : 's'}` }).click();
  await panel.getByRole('button', { name: 'Clear the selection' }).click();
}

const rowOf = (table: Locator, clientId: string) =>
  table.getByRole('row').filter({ has: table.page().getByRole('cell', { name: clientId, exact: true }) });

test('export, a broken import, an import and bulk edits, written through the wizard after a reload, then undone', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await goToTrustMap(page);
  const before = await realmState(masterClient(), REALM);
  const resourcesBefore = await resourcesOf('authz-app');
  expect(resourcesBefore).toContain('orders');
  const writes = recordWrites(page);
  await expect(cellOf(page, 'billing-app', 'catalog-api')).toHaveAttribute('data-look', 'empty');

  // Export: the clients that state requirements, as the CLI reads them; the unreadable one is named, not exported.
  await openWhatIf(page, 'Import / export');
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    whatIfPanel(page).getByRole('button', { name: 'Export stated requirements' }).click(),
  ]);
  expect(exported.suggestedFilename()).toMatch(
    new RegExp(`^audience-doctor-requirements-${REALM}-stated-\\d{4}-\\d{2}-\\d{2}\\.json$`),
  );
  expect(JSON.parse(readFileSync(await exported.path(), 'utf8'))).toEqual({
    'authz-app': ['authz-app'],
    'shop-spa': ['catalog-api'],
  });
  await expect(page.getByRole('alert', { name: 'Left out of the file' })).toContainText(
    `report-worker: its ${REQUIRES_ATTRIBUTE} is no list (it is not JSON)`,
  );

  // A file that is not JSON, and one with a bad entry: a clear message, nothing changed.
  await importFile(page, 'broken.json', '{ orders-web: [catalog-api] }');
  const refused = page.getByRole('alert', { name: 'Not imported' });
  await expect(refused).toContainText('broken.json: it is not JSON');
  await expect(refused).toContainText('Nothing was changed.');
  await importFile(page, 'bad-entry.json', '{"orders-web": ["catalog-api"], "shop-spa": "catalog-api"}');
  await expect(refused).toContainText('bad-entry.json: the entry for "shop-spa" is wrong: it is not a JSON array');
  await expect(whatIfPanel(page)).toContainText('No pending edits: every client requires what Keycloak holds.');
  await expect(pendingTable(page)).toHaveCount(0);

  // A good file: its entries become pending edits; an entry that says what Keycloak holds, and a client the
  // realm lacks, are named as such.
  await importFile(
    page,
    'requirements.json',
    JSON.stringify({
      'orders-web': ['catalog-api'],
      'authz-app': ['authz-app', 'catalog-api'],
      'shop-spa': ['catalog-api'],
      'payroll-app': ['legacy-api'],
      'ghost-app': ['catalog-api'],
    }),
  );
  const imported = page.getByRole('alert', { name: 'Imported requirements.json' });
  await expect(imported).toContainText('3 clients now pending: orders-web, authz-app, payroll-app.');
  await expect(imported).toContainText('Already so in Keycloak: shop-spa.');
  await expect(imported).toContainText(`Not in realm ${REALM}, left out: ghost-app.`);
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  expect(await seriousViolations(page)).toEqual([]);

  // Bulk: catalog-api added to every "app" (authz-app has it already), report-worker back to the default.
  await openWhatIf(page, 'Several clients');
  await bulkChange(page, 'app', 4, 'Add an audience', 'catalog-api');
  await expect(whatIfPanel(page).getByRole('status').filter({ hasText: 'Add an audience' })).toHaveText(
    'Add an audience: applied to 4 clients; 5 edits pending.',
  );
  await bulkChange(page, 'report', 1, 'Back to the default (own clientId)');
  expect(await seriousViolations(page)).toEqual([]);
  await expect(pendingTable(page).getByRole('row')).toHaveCount(7);
  await expect(rowOf(pendingTable(page), 'payroll-app')).toContainText('["legacy-api","catalog-api"]');
  await expect(rowOf(pendingTable(page), 'report-worker')).toContainText(
    '["report-worker"] (default: the attribute is removed)',
  );
  await expect(cellOf(page, 'billing-app', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  expect(writes).toEqual([]);

  // The wizard: the lists, then the two choices because they matter here.
  await whatIfPanel(page).getByRole('button', { name: 'Write these requirements…' }).click();
  const dialog = wizard(page);
  await expect(dialog).toHaveAccessibleName(`Fix: write the requirements of 6 clients in realm ${REALM}`);
  await expect(page).toHaveURL(/fix=requirements/);
  await expect(rowOf(dialog.getByRole('table', { name: 'Requirements to write' }), 'billing-app')).toContainText(
    '["billing-app"] (default)["billing-app","catalog-api"]',
  );
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
  const replace = dialog.getByRole('checkbox', {
    name: 'Write over attributes that hold no requirements list (report-worker)',
  });
  const accept = dialog.getByRole('checkbox', {
    name: 'Accept audiences that name no client and that no mapper adds (payroll-app)',
  });
  await expect(replace).not.toBeChecked();
  await expect(accept).not.toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);

  // Without them the two clients are left out, each with its reason.
  await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
  const leftAlone = dialog.getByRole('alert', { name: 'Left as they are' });
  await expect(leftAlone).toContainText(`report-worker: Its attribute ${REQUIRES_ATTRIBUTE} holds ${JUNK}`);
  await expect(leftAlone).toContainText('payroll-app:');
  await expect(leftAlone).toContainText('legacy-api');
  await expect(dialog.getByRole('button', { name: 'Apply 4 changes' })).toBeEnabled();
  await dialog.getByRole('button', { name: 'Back', exact: true }).click();
  await replace.check();
  await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = dialog.getByLabel('Preview');
  await expect(preview.getByRole('list', { name: 'Changes' })).toContainText(
    `Remove attribute "${REQUIRES_ATTRIBUTE}" of client "report-worker"`,
  );
  await expect(preview.getByRole('list', { name: 'Changes' })).toContainText(
    `Set attribute "${REQUIRES_ATTRIBUTE}" of client "orders-web" to ["catalog-api"]`,
  );
  await preview.getByRole('tab', { name: 'REST calls' }).click();
  await expect(preview.locator('pre[aria-label="REST calls"]')).toContainText(
    `PUT http://localhost:8080/admin/realms/${REALM}/clients/`,
  );
  await preview.getByRole('tab', { name: 'kcadm.sh script' }).click();
  await expect(preview.locator('pre[aria-label="kcadm.sh script"]')).toContainText(
    `attributes."${REQUIRES_ATTRIBUTE}"=`,
  );

  // A reload at the preview: the same step, the same lists and choices, and the map behind shows the edits.
  await page.reload();
  await expect(dialog.getByRole('button', { name: 'Apply 5 changes' })).toBeVisible();
  await expect(dialog.getByRole('alert', { name: 'Left as they are' })).toContainText('payroll-app:');
  await expect(dialog.getByRole('alert', { name: /plan changed/ })).toHaveCount(0);
  await expect(page.getByRole('switch', { name: 'What if: edit requirements', includeHidden: true })).toBeChecked();
  await expect(
    page
      .getByRole('grid', { name: 'Trust map', includeHidden: true })
      .getByRole('gridcell', { name: /^billing-app → catalog-api:/, includeHidden: true }),
  ).toHaveAttribute('data-look', 'unmet');
  expect(writes).toEqual([]);

  await dialog.getByRole('button', { name: 'Apply 5 changes' }).click();
  const verified = dialog.getByRole('table', { name: 'Verification result' });
  for (const clientId of ['authz-app', 'billing-app', 'inventory-app', 'orders-web', 'report-worker']) {
    await expect(rowOf(verified, clientId)).toContainText('✔ as written');
  }
  await expect(rowOf(verified, 'billing-app')).toContainText('catalog-api: unmet');
  await expect(rowOf(verified, 'report-worker')).toContainText('absent (default rule)');
  expect(writes.length).toBeGreaterThanOrEqual(5);
  for (const write of writes) expect(write).toMatch(new RegExp(`^PUT /admin/realms/${REALM}/clients/[^/]+$`));

  // Keycloak holds exactly the JSON written; the Authorization Services client keeps its resource server.
  expect(await attributeOf('orders-web')).toBe('["catalog-api"]');
  expect(await attributeOf('authz-app')).toBe('["authz-app","catalog-api"]');
  expect(await attributeOf('billing-app')).toBe('["billing-app","catalog-api"]');
  expect(await attributeOf('inventory-app')).toBe('["inventory-app","catalog-api"]');
  expect(await attributeOf('report-worker')).toBeUndefined();
  expect(await attributeOf('payroll-app')).toBeUndefined();
  expect(await attributeOf('shop-spa')).toBe('["catalog-api"]');
  expect((await clientOf('authz-app')).authorizationServicesEnabled).toBe(true);
  expect(await resourcesOf('authz-app')).toEqual(resourcesBefore);

  await dialog.getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(dialog.getByRole('alert', { name: 'Done' })).toContainText('are written');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  // What was written is no longer pending; payroll-app, left out, still is.
  await expect(pendingTable(page).getByRole('row')).toHaveCount(2);
  await expect(rowOf(pendingTable(page), 'payroll-app')).toBeVisible();
  await page.getByRole('switch', { name: 'What if: edit requirements' }).uncheck();
  await expect(cellOf(page, 'billing-app', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  await expect(cellOf(page, 'orders-web', 'catalog-api')).toHaveAttribute('data-look', 'unmet');

  // Undo from the runs of the realm: every attribute back, absent where it was absent.
  await page.getByRole('button', { name: 'Recent runs' }).click();
  const runs = page.getByRole('dialog', { name: 'Recent fix runs' });
  await expect(runs).toContainText('· requirements');
  await runs.getByRole('button', { name: 'Undo this run' }).first().click();
  await answerConfirmation(page, 'Undo this run', true);
  await expect(runs.getByRole('alert', { name: 'Undo' })).toContainText('Undone:');
  expect(await attributeOf('orders-web')).toBeUndefined();
  expect(await attributeOf('billing-app')).toBeUndefined();
  expect(await attributeOf('inventory-app')).toBeUndefined();
  expect(await attributeOf('authz-app')).toBe('["authz-app"]');
  expect(await attributeOf('report-worker')).toBe(JUNK);
  expect(await resourcesOf('authz-app')).toEqual(resourcesBefore);
  expect(await realmState(masterClient(), REALM)).toEqual(before);
  await page.getByRole('button', { name: 'Close recent runs' }).click();
  await expect(cellOf(page, 'billing-app', 'catalog-api')).toHaveAttribute('data-look', 'empty');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Clients' }).click();
  await assertVerdict(page, 'billing-app', 'ok');
});

test('an auditor edits requirements and sees the map change, but cannot write them', async ({ page }) => {
  await goToTrustMap(page, 'auditor');
  await openWhatIf(page, 'One client');
  const panel = whatIfPanel(page);
  await panel.getByRole('combobox', { name: 'Client to edit' }).fill('billing-app');
  await page.getByRole('option', { name: 'billing-app', exact: true }).click();
  const audiences = panel.getByRole('combobox', { name: 'Audiences the tokens of billing-app must carry' });
  await audiences.fill('catalog-api');
  await audiences.press('Enter');
  await audiences.press('Escape');
  await expect(cellOf(page, 'billing-app', 'catalog-api')).toHaveAttribute('data-look', 'unmet');
  const write = panel.getByRole('button', { name: 'Write these requirements…' });
  await expect(write).toBeDisabled();
  await expect(write).toHaveAttribute('data-disabled-reason', /manage-clients/);
  expect(await seriousViolations(page)).toEqual([]);
});
