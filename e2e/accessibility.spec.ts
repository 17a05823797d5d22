import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { serveConfig } from './support/app-config.ts';
import { clientRow, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';

/** Serious and critical WCAG 2 A/AA violations, as one readable line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

test.describe('accessibility of the main screens (axe-core)', () => {
  test('the clients table, in light and dark theme', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(clientRow(page, 'orders-web')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    const toggle = page.getByRole('button', { name: /Switch to (dark|light) theme/ });
    await toggle.click();
    await expect(clientRow(page, 'orders-web')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the client detail with a token result', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await openClient(page, 'payroll-app');
    const verify = page.getByRole('dialog').getByLabel('Check with an example token');
    await verify.getByRole('combobox', { name: 'User' }).fill('alice');
    await page.getByRole('option', { name: /alice/ }).click();
    await verify.getByRole('button', { name: 'Generate token' }).click();
    await expect(verify.getByLabel('Token result')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the fix wizard: strategy choice and the preview (nothing is applied)', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await openClient(page, 'orders-web');
    await page.getByRole('button', { name: 'Fix this client…' }).click();
    const wizard = page.getByRole('dialog', { name: /^Fix / });
    await expect(wizard.getByRole('radio', { name: 'Audience mapper on each client' })).toBeChecked();
    expect(await seriousViolations(page)).toEqual([]);
    await wizard.getByRole('button', { name: 'Next', exact: true }).click();
    await wizard.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(wizard.getByRole('list', { name: 'Changes' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('a start-up problem page', async ({ page }) => {
    await serveConfig(page, '{ broken');
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
