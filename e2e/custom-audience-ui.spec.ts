import { expect, type Page, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { demoCopyForSpec } from './support/demo-copy.ts';
import { signInAs } from './support/keycloak-login.ts';
import { assertVerified, wizard } from './support/wizard.ts';

/**
 * A red trust-map cell for a custom audience (a value that names no client) opens the cross-client wizard for
 * that custom audience, which keeps it across a reload and puts it into the caller's tokens with a client
 * scope whose Audience mapper has Included Custom Audience; the client drawer offers the same fix.
 */
const REALM = 'custom-audience-ui-copy';
const ORDERS = 'https://orders.example.com';
const SCOPE = 'orders.example.com-audience';

const { admin: masterClient, importCopy, clientOf } = demoCopyForSpec(REALM);

async function prepareRealm() {
  await importCopy();
  const { protocolMappers: _mappers, ...spa } = await clientOf('shop-spa');
  await masterClient().clients.update(
    { realm: REALM, id: spa.id },
    { ...spa, attributes: { ...spa.attributes, [REQUIRES_ATTRIBUTE]: JSON.stringify([ORDERS]) } },
  );
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Found by their names, whichever role the map's cells have.
const trustMap = (page: Page) => page.getByLabel('Trust map', { exact: true });
const cellOf = (page: Page, caller: string, audience: string) =>
  trustMap(page).getByLabel(new RegExp(`^${escaped(caller)} → ${escaped(audience)}:`));

test('a red cell of a custom audience opens its wizard, which survives a reload and fixes it', async ({ page }) => {
  test.setTimeout(180_000);
  await prepareRealm();
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser('realm-admin'), REALM);
  await expect(clientRow(page, 'shop-spa')).toBeVisible();

  // The drawer offers the fix of the custom requirement too.
  await openClient(page, 'shop-spa');
  await expect(
    page.getByRole('dialog').getByRole('button', { name: `Put custom audience ${ORDERS} into its tokens…` }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Close client details' }).click();

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Trust map' }).click();
  await expect(trustMap(page)).toBeVisible();
  await expect(page.getByLabel('Read progress')).toHaveCount(0);
  const cell = cellOf(page, 'shop-spa', ORDERS);
  await expect(cell).toHaveAttribute('data-look', 'unmet');
  await cell
    .getByRole('button', {
      name: new RegExp(`: fix, put ${escaped(ORDERS)} into the tokens of shop-spa$`),
    })
    .click();

  const dialog = wizard(page);
  const title = `Fix: put custom audience ${ORDERS} into other clients' tokens in realm ${REALM}`;
  await expect(dialog).toHaveAccessibleName(title);
  await expect(page).toHaveURL(/fix=cross/);
  await expect(page).toHaveURL(/fixCustom=1/);
  await expect(
    dialog.getByRole('combobox', { name: `Clients whose tokens should carry custom audience ${ORDERS}` }),
  ).toBeVisible();

  // A reload keeps the wizard, and that its audience is a custom one.
  await page.reload();
  await expect(wizard(page)).toHaveAccessibleName(title);
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await expect(
    wizard(page).getByRole('textbox', { name: `Name of the audience scope of custom audience ${ORDERS}` }),
  ).toHaveAttribute('placeholder', SCOPE);
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = wizard(page).getByLabel('Preview');
  await expect(preview).toContainText(
    `Create client scope "${SCOPE}" with Audience mapper "${SCOPE}" (adds ${ORDERS} to access tokens)`,
  );
  await expect(wizard(page).getByLabel(`Tokens carrying ${ORDERS} after the fix`)).toContainText(
    'shop-spa (always applies)',
  );
  await wizard(page).getByRole('button', { name: 'Apply 2 changes' }).click();
  await assertVerified(page, ['shop-spa'], ORDERS);
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(wizard(page).getByRole('alert', { name: 'Done' })).toContainText(
    `The tokens of shop-spa now carry custom audience ${ORDERS} in aud.`,
  );
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();
  await expect(wizard(page)).toBeHidden();

  await expect(cell).toHaveAttribute('data-look', 'met');
  const scope = (await masterClient().clientScopes.find({ realm: REALM })).find((item) => item.name === SCOPE);
  expect(scope?.protocolMappers?.[0]?.config).toMatchObject({
    'included.custom.audience': ORDERS,
    'access.token.claim': 'true',
  });
  const spa = await clientOf('shop-spa');
  const defaults = await masterClient().clients.listDefaultClientScopes({ realm: REALM, id: spa.id });
  expect(defaults.map((item) => item.name)).toContain(SCOPE);
});
