import { expect, type Page } from '@playwright/test';
import type { DemoUser } from './demo.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Keycloak's own login page (first shown, or shown again after a failed attempt); `keycloakBase` is
 * Keycloak's URL as the browser sees it, such as a reverse proxy's.
 */
export async function assertOnKeycloakLogin(page: Page, realm = 'demo', keycloakBase = 'http://localhost:8080') {
  await expect(page).toHaveURL(
    new RegExp(
      `^${escapeRegExp(keycloakBase)}/realms/${realm}/(protocol/openid-connect/auth|login-actions/authenticate)`,
    ),
  );
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
}

export async function fillKeycloakLogin(page: Page, username: string, password: string) {
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/** Opens the dashboard and signs in through Keycloak's real login page. */
export async function signInAs(page: Page, user: DemoUser, realm = 'demo', keycloakBase?: string) {
  await page.goto('./');
  await assertOnKeycloakLogin(page, realm, keycloakBase);
  await fillKeycloakLogin(page, user.username, user.password);
}
