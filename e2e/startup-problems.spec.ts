import { expect, type Page, test } from '@playwright/test';
import { serveConfig, shippedConfig } from './support/app-config.ts';

async function assertStartupProblem(page: Page, title: string | RegExp) {
  await expect(page.getByText('Audience Doctor cannot start')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

test.describe('start-up problems get a page of their own', () => {
  test('a config.json that is not JSON', async ({ page }) => {
    await serveConfig(page, '{ "keycloakUrl": ');
    await page.goto('./');
    await assertStartupProblem(page, 'config.json is not valid JSON');
    await expect(page.getByText('"clientId": "audience-doctor"')).toBeVisible();
  });

  test('a config.json with invalid and missing settings', async ({ page }) => {
    await serveConfig(page, { keycloakUrl: 'keycloak.example.com', realm: 'demo' });
    await page.goto('./');
    await assertStartupProblem(page, 'config.json has invalid settings');
    await expect(page.getByText(/^keycloakUrl: /)).toBeVisible();
    await expect(page.getByText(/^clientId: /)).toBeVisible();
  });

  test('a missing config.json', async ({ page }) => {
    await serveConfig(page, 'Not found', 404);
    await page.goto('./');
    await assertStartupProblem(page, 'config.json could not be loaded');
    await expect(page.getByText(/answered HTTP 404/)).toBeVisible();
  });

  test('a realm that does not exist', async ({ page }) => {
    await serveConfig(page, { ...shippedConfig(), realm: 'no-such-realm' });
    await page.goto('./');
    await assertStartupProblem(page, 'Realm "no-such-realm" not found');
  });

  test('a Keycloak that does not answer', async ({ page }) => {
    // Port 9 (discard) has no server on the loopback.
    await serveConfig(page, { ...shippedConfig(), keycloakUrl: 'http://localhost:9' });
    await page.goto('./');
    await assertStartupProblem(page, 'Keycloak is not reachable');
  });
});
