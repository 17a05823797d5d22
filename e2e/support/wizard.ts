import { expect, type Page } from '@playwright/test';
import { isAdminWrite } from './admin-api.ts';
import { clientRow } from './dashboard.ts';

/** The fix wizard's dialog. */
export const wizard = (page: Page) => page.getByRole('dialog', { name: /^Fix[: ]/ });

/** Ticks the clients' rows in the table and opens the wizard with "Fix selected". */
export async function fixSelected(page: Page, clientIds: string[]) {
  for (const clientId of clientIds) {
    const box = clientRow(page, clientId).getByRole('checkbox', { name: `Select ${clientId}`, exact: true });
    if (!(await box.isChecked())) await box.check();
  }
  await page.getByRole('button', { name: `Fix selected (${clientIds.length})` }).click();
}

/** The Admin API writes the page sends, as "METHOD path". */
export function recordWrites(page: Page): string[] {
  const writes: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/admin/realms/') && isAdminWrite(request.method(), url.pathname)) {
      writes.push(`${request.method()} ${url.pathname}`);
    }
  });
  return writes;
}

/** Waits for the verification step to show, for each client, a generated token carrying `audience` (its own clientId by default). */
export async function assertVerified(page: Page, clientIds: string[], audience?: string) {
  const result = wizard(page).getByRole('table', { name: 'Verification result' });
  for (const clientId of clientIds) {
    await expect(
      result.getByRole('row').filter({ has: page.getByRole('cell', { name: clientId, exact: true }) }),
    ).toContainText(`✔ ${audience ?? clientId} is in aud`);
  }
}

/** Answers the "<action>?" dialog an undo or roll-back asks first: confirm, or cancel. */
export async function answerConfirmation(page: Page, action: string, confirm: boolean) {
  const dialog = page.getByRole('dialog', { name: `${action}?` });
  await dialog.getByRole('button', { name: confirm ? action : 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
}
