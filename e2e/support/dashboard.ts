import { expect, type Page } from '@playwright/test';

export const clientsTable = (page: Page) => page.getByRole('table', { name: 'Clients' });

/** The table row of one client, found by the button that opens its details. */
export const clientRow = (page: Page, clientId: string) =>
  clientsTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: clientId, exact: true }) });

export async function assertRealmShown(page: Page, realm: string) {
  await expect(page.getByRole('combobox', { name: 'Realm' })).toHaveValue(realm);
}

export async function assertVerdict(page: Page, clientId: string, verdict: string) {
  await expect(clientRow(page, clientId).locator(`[data-verdict="${verdict}"]`)).toBeVisible();
}

export async function openClient(page: Page, clientId: string) {
  await clientsTable(page).getByRole('button', { name: clientId, exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
}
