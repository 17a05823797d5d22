import { expect, test } from '@playwright/test';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { assertRealmShown, clientRow, clientsTable } from './support/dashboard.ts';
import { demoClientIds, demoUser } from './support/demo.ts';
import { assertOnKeycloakLogin, fillKeycloakLogin, signInAs } from './support/keycloak-login.ts';

test.describe('signing in to the dashboard', () => {
  test('a realm admin signs in through Keycloak and sees the clients of the demo realm', async ({ page }) => {
    const admin = demoUser('realm-admin');
    await signInAs(page, admin);

    await expect(page.getByRole('heading', { name: 'Clients' })).toBeVisible();
    await expect(page.getByLabel('Signed-in user')).toContainText(admin.displayName);
    await assertRealmShown(page, 'demo');
    for (const clientId of [...demoClientIds(), 'audience-doctor']) {
      await expect(clientRow(page, clientId)).toBeVisible();
    }
    // keycloak-js returned through the exact redirect URI and the route was restored.
    await expect(page).toHaveURL(/localhost:4173\/#\/realms\/demo\/clients$/);
  });

  test('tokens are kept in memory only', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(clientsTable(page)).toBeVisible();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    // A JWT starts with the base64 of '{"' and has three dot-separated parts.
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  test('on the way back from the login page the code exchange does not wait for the reachability probe', async ({
    page,
  }) => {
    const admin = demoUser('realm-admin');
    await page.goto('./');
    await assertOnKeycloakLogin(page);
    // From here on Keycloak's discovery document, which the probe asks for, answers only after 30 s.
    let answered = false;
    await page.route('**/.well-known/openid-configuration', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      answered = true;
      await route.continue().catch(() => undefined);
    });
    await fillKeycloakLogin(page, admin.username, admin.password);
    await expect(clientRow(page, 'orders-web')).toBeVisible({ timeout: 15_000 });
    expect(answered).toBe(false);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  test('a Keycloak that stops answering after the login form gets the page that says so', async ({ page }) => {
    const admin = demoUser('realm-admin');
    await page.goto('./');
    await assertOnKeycloakLogin(page);
    // Keycloak takes the login form, then answers nothing: the code exchange and the probe both fail.
    await page.route('**/protocol/openid-connect/token', (route) => route.abort('connectionrefused'));
    await page.route('**/.well-known/openid-configuration', (route) => route.abort('connectionrefused'));
    await fillKeycloakLogin(page, admin.username, admin.password);
    await expect(page.getByText('Audience Doctor cannot start')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Keycloak is not reachable');
  });

  test('signing out ends the Keycloak session', async ({ page }) => {
    await signInAs(page, demoUser('realm-admin'));
    await expect(clientsTable(page)).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await assertOnKeycloakLogin(page);
    // The session is gone: opening the dashboard again asks for a login.
    await page.goto('./');
    await assertOnKeycloakLogin(page);
  });

  test('a wrong password stays on the Keycloak page with its error', async ({ page }) => {
    const admin = demoUser('realm-admin');
    await page.goto('./');
    await assertOnKeycloakLogin(page);
    await fillKeycloakLogin(page, admin.username, `${admin.password}-wrong`);

    await expect(page.getByText('Invalid username or password.')).toBeVisible();
    await assertOnKeycloakLogin(page);
  });

  test('a user without admin roles is told which role is missing', async ({ page }) => {
    await signInAs(page, demoUser('alice'));

    const alert = page.getByRole('alert');
    await expect(alert).toContainText('You need view-clients in realm demo');
    await expect(alert).toContainText('alice');
    await expect(clientsTable(page)).toHaveCount(0);
  });

  test('an auditor with view-clients sees the list too', async ({ page }) => {
    await signInAs(page, demoUser('auditor'));
    await expect(clientRow(page, 'orders-web')).toBeVisible();
  });

  test('a master admin signs in to master and lands on the deep link to realm demo', async ({ page }) => {
    const masterAdmin = demoUser('master-admin', 'master-additions.json');
    await serveConfig(page, { ...shippedConfig(), realm: 'master' });
    const adminRequests: string[] = [];
    page.on('request', (request) => {
      const { pathname, search } = new URL(request.url());
      if (pathname.startsWith('/admin/')) adminRequests.push(`${pathname}${search}`);
    });
    await page.goto('./#/realms/demo/clients');
    await assertOnKeycloakLogin(page, 'master');
    await fillKeycloakLogin(page, masterAdmin.username, masterAdmin.password);

    // The hash route survived the round trip through Keycloak's login page.
    await expect(page).toHaveURL(/#\/realms\/demo\/clients$/);
    await expect(page.getByLabel('Signed-in user')).toContainText('master-admin @ master');
    await expect(clientRow(page, 'orders-web')).toBeVisible();
    // The realm of the deep link is read from the sign-in on, before the shell's first render asks for the
    // realm list, and only once: the screen takes over that read.
    const firstPages = adminRequests.filter((path) => /^\/admin\/realms\/demo\/clients\/?\?first=0&/.test(path));
    expect(firstPages).toHaveLength(1);
    const realmList = adminRequests.findIndex((path) => /^\/admin\/realms\/?(\?|$)/.test(path));
    expect(realmList).toBeGreaterThan(adminRequests.indexOf(firstPages[0] ?? ''));
  });
});
