import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { readCsv } from '../src/report/read-csv.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { assertRealmShown, assertVerdict, clientRow, clientsTable, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { assertOnKeycloakLogin, fillKeycloakLogin, signInAs } from './support/keycloak-login.ts';

test.describe('the audit dashboard', () => {
  test('shows the verdicts of the demo realm at a glance', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(page.getByRole('status', { name: 'Summary' })).toHaveText(
      '8 clients · 5 missing · 1 with a broken fix',
    );
    await assertVerdict(page, 'orders-web', 'missing');
    await assertVerdict(page, 'shop-spa', 'missing');
    await assertVerdict(page, 'report-worker', 'missing');
    await assertVerdict(page, 'payroll-app', 'missing');
    await assertVerdict(page, 'billing-app', 'ok');
    await assertVerdict(page, 'inventory-app', 'ok');
    await assertVerdict(page, 'catalog-api', 'not-applicable');
    await expect(clientRow(page, 'payroll-app').getByLabel('1 problem')).toBeVisible();
    // The problem's text shows on hover, and goes when the pointer leaves.
    await clientRow(page, 'payroll-app').getByLabel('1 problem').hover();
    await expect(page.getByRole('tooltip')).toContainText('access.token.claim');
    await page.getByRole('heading', { name: 'Clients' }).hover();
    await expect(page.getByRole('tooltip')).toHaveCount(0);
    await expect(clientRow(page, 'billing-app')).toContainText('billing-app-audience');
    // Built-in clients are hidden until asked for.
    await expect(clientRow(page, 'account-console')).toHaveCount(0);
    await page.getByLabel('Show built-in clients').click();
    await expect(page.getByLabel('Show built-in clients')).toBeChecked();
    await expect(clientRow(page, 'account-console')).toBeVisible();
    await expect(page).toHaveURL(/builtin=1/);
  });

  test('filters, searches and sorts, with the view kept in the URL', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await page.getByLabel('Search clients').fill('bill');
    await expect(clientRow(page, 'billing-app')).toBeVisible();
    await expect(clientRow(page, 'orders-web')).toHaveCount(0);
    await expect(page).toHaveURL(/q=bill/);

    await page.getByLabel('Search clients').fill('no client is called like this');
    await expect(page.getByText('No clients match')).toBeVisible();

    // A shared link restores the filters.
    await page.goto('./#/realms/demo/clients?verdict=ok&sort=clientId:desc');
    await expect(clientsTable(page).getByRole('row')).toHaveCount(3);
    const ids = await clientsTable(page).locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(ids.map((id) => id.trim())).toEqual(['inventory-app', 'billing-app']);

    await page.goto('./#/realms/demo/clients?kind=public');
    await expect(clientRow(page, 'shop-spa')).toBeVisible();
    await expect(clientRow(page, 'orders-web')).toHaveCount(0);
  });

  test('at 800 px wide the Why column stays in view and shows the whole reason', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 900 });
    await signInAs(page, demoUser('realm-admin'));
    // payroll-app has the longest reason of the demo realm.
    const row = clientRow(page, 'payroll-app');
    await expect(row).toBeVisible();
    const column = await clientsTable(page)
      .locator('thead th')
      .evaluateAll((cells) => cells.findIndex((cell) => cell.getAttribute('data-accessor') === 'reason'));
    expect(column, 'the Why column').toBeGreaterThan(0);
    const why = row.locator('td').nth(column);
    await expect(why).toContainText('"Add to access token" must be on');

    const fit = await why.evaluate((cell) => {
      // The table's visible right edge: where the window or a clipping ancestor (the scroll area) ends.
      const table = cell.closest('table') as HTMLTableElement;
      let visibleRight = Math.min(table.getBoundingClientRect().right, document.documentElement.clientWidth);
      for (let box = table.parentElement; box; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') {
          visibleRight = Math.min(visibleRight, box.getBoundingClientRect().left + box.clientLeft + box.clientWidth);
        }
      }
      const boxes = [cell, ...cell.querySelectorAll('*')];
      return {
        cellRight: cell.getBoundingClientRect().right,
        visibleRight,
        clipped: boxes
          .filter((box) => box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight)
          .map(
            (box) => `${box.tagName}: ${box.scrollWidth}x${box.scrollHeight} in ${box.clientWidth}x${box.clientHeight}`,
          ),
      };
    });
    expect(fit.cellRight, 'the Why cell ends inside the visible table').toBeLessThanOrEqual(fit.visibleRight + 0.5);
    expect(fit.clipped, 'Why text cut off, sideways or by a line clamp').toEqual([]);
  });

  test('explains a client with its evidence, problems and who carries it', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await openClient(page, 'billing-app');
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByLabel('Evidence')).toContainText('client scope "billing-app-audience" (default)');
    await expect(drawer.getByLabel('Predicted aud')).toContainText('billing-app');
    await expect(drawer.getByRole('link', { name: 'Dedicated scope' })).toHaveAttribute(
      'href',
      /\/admin\/demo\/console\/#\/demo\/clients\/[0-9a-f-]+\/clientScopes\/dedicated$/,
    );
    await expect(page).toHaveURL(/client=[0-9a-f-]+/);
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);

    await openClient(page, 'payroll-app');
    await expect(page.getByRole('dialog').locator('[data-problem="token-flag-off"]')).toContainText(
      '"access.token.claim" set to "false"',
    );
  });

  test('opens the client drawer with no heading inside another, and no DOM nesting warning', async ({ page }) => {
    // React names invalid nesting in the console ("<h2> cannot contain a nested <h2>"), but only in development
    // builds: against the production build these specs run, the DOM check below is the one that catches it.
    const nestingWarnings: string[] = [];
    page.on('console', (message) => {
      if (/validateDOMNesting|cannot be a descendant|cannot contain a nested/i.test(message.text())) {
        nestingWarnings.push(message.text());
      }
    });
    await signInAs(page, demoUser('realm-admin'));
    await openClient(page, 'billing-app');
    const drawer = page.getByRole('dialog', { name: 'billing-app', exact: true });
    await expect(drawer.getByLabel('Evidence')).toBeVisible();

    const nested = await page.evaluate((selector) => {
      const headings = [...document.querySelectorAll(selector)];
      return headings.filter((heading) => heading.querySelector(selector)).map((heading) => heading.outerHTML);
    }, 'h1, h2, h3, h4, h5, h6, [role="heading"]');
    expect({ nested, nestingWarnings }, 'headings that hold another heading, and React warnings about it').toEqual({
      nested: [],
      nestingWarnings: [],
    });
    // The drawer's one title heading, with the sections below it.
    await expect(drawer.getByRole('heading', { name: 'billing-app', exact: true, level: 2 })).toBeVisible();
    await expect(drawer.getByRole('heading', { name: 'Predicted aud of its access tokens', level: 3 })).toBeVisible();
  });

  test('proves the verdict with a token Keycloak generates', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await openClient(page, 'billing-app');
    const verify = page.getByRole('dialog').getByLabel('Check with an example token');
    await verify.getByRole('combobox', { name: 'User' }).fill('alice');
    await page.getByRole('option', { name: /alice/ }).click();
    await verify.getByRole('button', { name: 'Generate token' }).click();
    const result = verify.getByLabel('Token result');
    await expect(result.getByText('✔ Agrees with the prediction')).toBeVisible();
    await expect(result.getByLabel('Token aud')).toContainText('billing-app');
    await expect(result).toContainText('azp: billing-app');
    await expect(result).toContainText('keep their old aud');

    await page.keyboard.press('Escape');
    await openClient(page, 'orders-web');
    const verifyOrders = page.getByRole('dialog').getByLabel('Check with an example token');
    await verifyOrders.getByRole('combobox', { name: 'User' }).fill('alice');
    await page.getByRole('option', { name: /alice/ }).click();
    await verifyOrders.getByRole('button', { name: 'Generate token' }).click();
    await expect(verifyOrders.getByText('✔ Agrees with the prediction')).toBeVisible();
    await expect(verifyOrders.getByLabel('Token aud')).not.toContainText('orders-web');
  });

  test('an auditor without manage-clients sees fixing disabled, with the reason', async ({ page }) => {
    await signInAs(page, demoUser('auditor'));
    await expect(clientRow(page, 'orders-web')).toBeVisible();
    await expect(page.getByRole('button', { name: /Fix selected/ })).toBeDisabled();
    await expect(page.getByLabel('Read-only')).toContainText('Fixing needs the role manage-clients');
    await expect(page.getByText('Client policies not checked')).toBeVisible();
  });

  test('exports the realm as JSON and CSV that match the table', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(clientRow(page, 'orders-web')).toBeVisible();

    await page.getByRole('button', { name: 'Export' }).click();
    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'JSON' }).click();
    const report = JSON.parse(await readFile((await (await jsonDownload).path()) as string, 'utf8'));
    expect(report.realm).toBe('demo');
    const verdicts = Object.fromEntries(
      report.clients.map((client: { clientId: string; verdict: string }) => [client.clientId, client.verdict]),
    );
    expect(verdicts).toMatchObject({
      'orders-web': 'missing',
      'billing-app': 'ok',
      'inventory-app': 'ok',
      'catalog-api': 'not-applicable',
    });
    expect(report.clients.find((client: { clientId: string }) => client.clientId === 'account-console').builtIn).toBe(
      true,
    );

    await page.getByRole('button', { name: 'Export' }).click();
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const csv = await readFile((await (await csvDownload).path()) as string, 'utf8');
    const [header, ...rows] = readCsv(csv);
    expect(rows).toHaveLength(report.clients.length);
    const payroll = rows.find((row) => row[header?.indexOf('clientId') ?? -1] === 'payroll-app');
    expect(payroll?.[header?.indexOf('problems') ?? -1]).toBe('token-flag-off');
  });

  test('switching realms never shows the other realm’s data', async ({ page }) => {
    const masterAdmin = demoUser('master-admin', 'master-additions.json');
    await serveConfig(page, { ...shippedConfig(), realm: 'master' });
    await page.goto('./#/realms/demo/clients');
    await assertOnKeycloakLogin(page, 'master');
    await fillKeycloakLogin(page, masterAdmin.username, masterAdmin.password);
    await expect(clientRow(page, 'orders-web')).toBeVisible();

    await page.getByRole('combobox', { name: 'Realm' }).click();
    await expect(page.getByRole('option', { name: 'master' })).toHaveCount(0);
    await page.getByRole('option', { name: 'demo-2' }).click();
    await assertRealmShown(page, 'demo-2');
    await expect(clientRow(page, 'legacy-portal')).toBeVisible();
    await expect(clientRow(page, 'orders-web')).toHaveCount(0);
    await expect(page).toHaveURL(/#\/realms\/demo-2\/clients$/);
  });

  test('works from the keyboard, and follows a theme switch', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(clientRow(page, 'orders-web')).toBeVisible();

    await page.getByLabel('Search clients').focus();
    await page.keyboard.type('inventory');
    await expect(clientRow(page, 'orders-web')).toHaveCount(0);
    const openButton = clientsTable(page).getByRole('button', { name: 'inventory-app', exact: true });
    await openButton.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toContainText('Dedicated scope');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    const html = page.locator('html');
    const before = await html.getAttribute('data-mantine-color-scheme');
    const next = before === 'dark' ? 'light' : 'dark';
    await page.getByRole('button', { name: `Switch to ${next} theme` }).click();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', next);
  });
});
