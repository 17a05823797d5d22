import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { readSettings, serverUrl } from './keycloak/settings.ts';
import { masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow, clientsTable } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { type HoldingProxy, startHoldingProxy } from './support/holding-proxy.ts';
import { signInAs } from './support/keycloak-login.ts';

// The table is usable while the realm is read: pages 2 and later wait at a loopback proxy in front of Keycloak.
const REALM = 'paged-ui';

/** Keycloak's own clients, hidden by the table's default filter, and the dashboard's own client. */
const KEYCLOAK_OWN = new Set([
  'account',
  'account-console',
  'admin-cli',
  'audience-doctor',
  'broker',
  'realm-management',
  'security-admin-console',
]);

let admin: KcAdminClient;
let proxy: HoldingProxy | undefined;

test.beforeAll(async () => {
  admin = await masterAdmin();
  await importDemoCopy(admin, REALM);
});

test.afterAll(async () => {
  await proxy?.close();
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

test('rows, search and the detail drawer work on the first page while later pages are held; fixing waits for the rest', async ({
  page,
}) => {
  // Keycloak's order: by clientId. A page size that makes three pages of this realm (pages overlap by one).
  const all = (await admin.clients.find({ realm: REALM })).map((client) => client.clientId ?? '');
  const step = Math.ceil((all.length - 1) / 3);
  const pageSize = step + 1;
  const pagesOf = (first: number) => Math.floor(first / step);
  proxy = await startHoldingProxy(serverUrl(readSettings()), {
    hold: ({ method, url }) =>
      method === 'GET' &&
      /\/admin\/realms\/paged-ui\/clients\/?$/.test(url.pathname) &&
      pagesOf(Number(url.searchParams.get('first') ?? 0)) >= 1,
  });
  await serveConfig(page, { ...shippedConfig(), realm: REALM, keycloakUrl: proxy.url, clientsPageSize: pageSize });
  await signInAs(page, demoUser('realm-admin'), REALM, proxy.url);

  await proxy.waitForHeld(1, 30_000);
  const screen = page.locator('[data-read-state]');
  await expect(screen).toHaveAttribute('data-read-state', 'reading');
  await expect(page.getByRole('status').filter({ hasText: 'Reading the realm…' })).toHaveText(
    `Reading the realm… ${pageSize} clients read`,
  );
  await expect(page.getByRole('status', { name: 'Summary' })).toContainText('so far (partial)');
  const fix = page.getByRole('button', { name: /^Fix selected/ });
  await expect(fix).toBeDisabled();
  await expect(fix).toHaveAttribute('data-disabled-reason', /Wait until every client is read/);

  // An early client: its row has its verdict, search finds it, its details open.
  const sorted = [...all].sort();
  const firstPage = sorted.slice(0, pageSize);
  const early = firstPage.find((clientId) => !KEYCLOAK_OWN.has(clientId)) ?? '';
  expect(early, `a demo client on the first page (${firstPage.join(', ')})`).not.toBe('');
  const later = sorted.at(-1) as string;
  await page.getByRole('textbox', { name: 'Search clients' }).fill(early);
  await expect(clientRow(page, early)).toBeVisible();
  await expect(clientRow(page, early)).toHaveAttribute(
    'data-verdict',
    /^(ok|missing|conditional|unpredictable|waiting)$/,
  );
  await clientsTable(page).getByRole('button', { name: early, exact: true }).click();
  await expect(page.getByRole('dialog', { name: new RegExp(early) })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Search clients' }).fill(later);
  await expect(page.getByText('No clients match')).toBeVisible();
  expect(proxy.held()).toBeGreaterThanOrEqual(1);

  proxy.release();
  await expect(screen).toHaveAttribute('data-read-state', 'complete');
  await expect(clientRow(page, later)).toBeVisible();
  await expect(page.getByRole('status', { name: 'Summary' })).not.toContainText('partial');
  await expect(page.getByLabel('Read progress')).toBeHidden();
  const pageReads = proxy
    .requests()
    .filter(({ method, url }) => method === 'GET' && /\/admin\/realms\/paged-ui\/clients\/?$/.test(url.pathname));
  // Three pages and the empty one after them, each read once; at most the default concurrency (4) past the end.
  const offsets = pageReads.map(({ url }) => Number(url.searchParams.get('first')));
  expect(new Set(offsets).size).toBe(offsets.length);
  expect(offsets).toEqual(expect.arrayContaining([0, step, 2 * step, 3 * step]));
  for (const offset of offsets) {
    expect(offset % step).toBe(0);
    expect(offset).toBeLessThanOrEqual(6 * step);
  }
});

test('a read can be cancelled: what was read stays, and it can be read again', async ({ page }) => {
  const all = await admin.clients.find({ realm: REALM });
  const step = Math.ceil((all.length - 1) / 3);
  await proxy?.close();
  proxy = await startHoldingProxy(serverUrl(readSettings()), {
    hold: ({ method, url }) =>
      method === 'GET' &&
      /\/admin\/realms\/paged-ui\/clients\/?$/.test(url.pathname) &&
      Number(url.searchParams.get('first') ?? 0) >= step,
  });
  const held = proxy;
  await serveConfig(page, { ...shippedConfig(), realm: REALM, keycloakUrl: held.url, clientsPageSize: step + 1 });
  await signInAs(page, demoUser('realm-admin'), REALM, held.url);
  await held.waitForHeld(1, 30_000);
  await page.getByLabel('Read progress').getByRole('button', { name: 'Cancel' }).click();
  const stopped = page.getByRole('alert', { name: 'Read progress' });
  await expect(stopped).toContainText(`Reading cancelled: ${step + 1} clients read.`);
  await expect(page.locator('[data-read-state]')).toHaveAttribute('data-read-state', 'failed');
  await expect(page.getByRole('button', { name: /^Fix selected/ })).toBeDisabled();
  held.release();
  await stopped.getByRole('button', { name: 'Read again' }).click();
  await expect(page.locator('[data-read-state]')).toHaveAttribute('data-read-state', 'complete');
  await expect(page.getByRole('status', { name: 'Summary' })).not.toContainText('partial');
});
