import { type Browser, expect, type Page, type Request, test } from '@playwright/test';
import { keycloakUrl } from './support/admin-api.ts';
import { clientRow, openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { fillKeycloakLogin, signInAs } from './support/keycloak-login.ts';
import { assertNoSecrets, browserStorageText, jwtSecrets, scanReactState } from './support/leak-check.ts';

// Secrets and redirect URIs as in e2e/fixtures/demo-realm.json.
const BILLING = {
  clientId: 'billing-app',
  secret: 'billing-app-demo-secret',
  redirectUri: 'http://localhost:3002/oauth/callback',
};
const REPORT_WORKER = { clientId: 'report-worker', secret: 'report-worker-demo-secret' };

const tokenEndpoint = () => `${keycloakUrl()}/realms/demo/protocol/openid-connect/token`;
const basicAuth = (clientId: string, secret: string) => `Basic ${btoa(`${clientId}:${secret}`)}`;

async function requestToken(clientId: string, secret: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(tokenEndpoint(), {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`no token for ${clientId}: ${body.error_description}`);
  return body.access_token;
}

/** A real access token of a confidential client for alice, through Keycloak's login page and a code exchange. */
async function codeFlowToken(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let code: string | null = null;
  // Nothing listens at the client's redirect URI: the browser stops there and hands over the code.
  await page.route(`${new URL(BILLING.redirectUri).origin}/**`, async (route) => {
    code = new URL(route.request().url()).searchParams.get('code');
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
  });
  const params = new URLSearchParams({
    client_id: BILLING.clientId,
    redirect_uri: BILLING.redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: 'token-paste',
  });
  await page.goto(`${keycloakUrl()}/realms/demo/protocol/openid-connect/auth?${params}`);
  const alice = demoUser('alice');
  await fillKeycloakLogin(page, alice.username, alice.password);
  await expect.poll(() => code).not.toBeNull();
  await context.close();
  return requestToken(BILLING.clientId, BILLING.secret, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: BILLING.redirectUri,
  });
}

const serviceAccountToken = () =>
  requestToken(REPORT_WORKER.clientId, REPORT_WORKER.secret, { grant_type: 'client_credentials' });

function claimsOf(token: string): { aud?: string | string[]; azp?: string } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}
const audOf = (token: string) => [claimsOf(token).aud ?? []].flat();

const pasteCheck = (page: Page) => page.getByRole('dialog').getByRole('region', { name: 'Check a pasted token' });
const pastedResult = (page: Page) => pasteCheck(page).getByRole('region', { name: 'Pasted token result' });

async function pasteToken(page: Page, text: string) {
  const field = pasteCheck(page).getByLabel('Access token to check');
  await field.fill(text);
  await expect(field).toHaveValue(text);
}

async function signInAndOpen(page: Page, clientId: string) {
  await signInAs(page, demoUser('realm-admin'));
  await expect(clientRow(page, clientId)).toBeVisible();
  await openClient(page, clientId);
}

test.describe('checking a pasted token', () => {
  test('names the example-token check and says what example tokens cannot show', async ({ page }) => {
    await signInAndOpen(page, 'billing-app');
    const example = page.getByRole('dialog').getByLabel('Check with an example token');
    await expect(example.getByRole('heading', { name: 'Check with an example token' })).toBeVisible();
    // The demo realm has no client policies, so only the general note applies.
    await expect(example.getByRole('note', { name: 'What example tokens cannot show' })).toHaveText(
      /Example tokens skip client policies, grant and consent checks and token post-processors/,
    );
    await expect(page.getByRole('dialog').getByText('Verify with a real token')).toHaveCount(0);
  });

  test('a real token of an ok client matches: its own clientId is in aud', async ({ page, browser }) => {
    const token = await codeFlowToken(browser);
    expect(audOf(token)).toContain('billing-app');
    await signInAndOpen(page, 'billing-app');
    await pasteToken(page, token);
    const result = pastedResult(page);
    await expect(result.getByRole('alert').filter({ hasText: '✔ Matches the prediction' })).toContainText(
      'billing-app is in aud, as predicted',
    );
    await expect(result.getByRole('list', { name: 'aud compared with the prediction' })).toContainText(
      'Predicted for every token, and there: billing-app',
    );
    await expect(result.getByLabel('aud', { exact: true })).toContainText('billing-app');
    const compared = result.getByRole('list', { name: 'aud compared with the prediction' });
    for (const audience of audOf(token).filter((value) => value !== 'billing-app')) {
      await expect(compared).toContainText(
        new RegExp(`may come from the user's client roles \\(Audience Resolve\\): .*${audience}`),
      );
    }
    await expect(compared).not.toContainText('Predicted, but absent');
    await expect(compared).not.toContainText('Not predicted by this client');
    await expect(result).toContainText('azp: billing-app');
    await expect(result.getByLabel('scope', { exact: true })).toContainText('openid');
    await expect(result).toContainText('not expired yet');
    await expect(result).toContainText('Issuer: http://localhost:8080/realms/demo');
    await expect(result.getByText('Issued to another client')).toHaveCount(0);
    await expect(result.getByText('From another realm')).toHaveCount(0);
  });

  test('a real token of a missing client matches the prediction that it lacks its clientId', async ({ page }) => {
    const token = await serviceAccountToken();
    expect(audOf(token)).not.toContain('report-worker');
    await signInAndOpen(page, 'report-worker');
    await pasteToken(page, `Bearer ${token}`);
    const result = pastedResult(page);
    await expect(result.getByRole('alert').filter({ hasText: '✔ Matches the prediction' })).toContainText(
      'report-worker is not in aud, as predicted',
    );
    const compared = result.getByRole('list', { name: 'aud compared with the prediction' });
    const aud = audOf(token);
    await expect(result.getByLabel('aud', { exact: true })).toContainText(
      aud.length === 0 ? '(no aud claim)' : (aud[0] ?? ''),
    );
    // What the service account's client roles add is named as such, not called wrong.
    for (const audience of aud) {
      await expect(compared).toContainText(
        new RegExp(`may come from the user's client roles \\(Audience Resolve\\): .*${audience}`),
      );
    }
    await expect(compared).not.toContainText('Not predicted by this client');
    await expect(result).toContainText('azp: report-worker');

    // The same token in another client's details: issued to someone else.
    await page.keyboard.press('Escape');
    await openClient(page, 'billing-app');
    await expect(pasteCheck(page).getByLabel('Access token to check')).toHaveValue('');
    await pasteToken(page, token);
    await expect(pastedResult(page).getByRole('alert').filter({ hasText: 'Issued to another client' })).toContainText(
      'this token was issued to report-worker',
    );
    await expect(pastedResult(page).getByRole('alert').filter({ hasText: '✘ Does not match' })).toContainText(
      'billing-app is not in aud, but the audit predicted it there',
    );
  });

  test('says why garbage is not a token, and never crashes', async ({ page }) => {
    await signInAndOpen(page, 'billing-app');
    const cases: [string, string][] = [
      ['this is not a token', 'a JWT has three parts separated by dots, this has 1'],
      ['eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', 'encrypted token (JWE, five parts)'],
      ['eyJhbGciOiJSUzI1NiJ9.%%%.sig', 'the payload) is not valid base64url'],
      [`eyJhbGciOiJSUzI1NiJ9.${Buffer.from('not json').toString('base64url')}.sig`, 'is not a JSON object'],
      ['{"aud": ', 'not a valid JSON object'],
    ];
    for (const [text, message] of cases) {
      await pasteToken(page, text);
      await expect(pasteCheck(page).getByRole('alert').filter({ hasText: 'Cannot read this token' })).toContainText(
        message,
      );
      await expect(pastedResult(page)).toHaveCount(0);
    }
    await pasteCheck(page).getByRole('button', { name: 'Clear pasted token' }).click();
    await expect(pasteCheck(page).getByLabel('Access token to check')).toHaveValue('');
    await expect(pasteCheck(page).getByRole('alert')).toHaveCount(0);
  });

  test('a pasted token is never sent, stored or put in the URL, and is gone when the drawer closes', async ({
    page,
    browser,
  }) => {
    const token = await codeFlowToken(browser);
    const secrets = jwtSecrets('pasted token', token);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    await signInAndOpen(page, 'billing-app');

    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));
    await pasteToken(page, token);
    await expect(pastedResult(page).getByText('✔ Matches the prediction')).toBeVisible();

    // Work on with the token in the field, so that requests do go out: an example token from Keycloak.
    const example = page.getByRole('dialog').getByLabel('Check with an example token');
    await example.getByRole('combobox', { name: 'User' }).fill('alice');
    await page.getByRole('option', { name: /alice/ }).click();
    await example.getByRole('button', { name: 'Generate token' }).click();
    await expect(example.getByLabel('Token result')).toBeVisible();

    assertNoSecrets('the URL', page.url(), secrets);
    assertNoSecrets('browser storage', await browserStorageText(page), secrets);

    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await openClient(page, 'orders-web');
    await expect(pasteCheck(page).getByLabel('Access token to check')).toHaveValue('');
    const scan = await scanReactState(page, secrets);
    expect(scan.objects).toBeGreaterThan(100);
    expect(scan.found, 'React state after closing the drawer').toEqual([]);
    assertNoSecrets('the URL', page.url(), secrets);
    assertNoSecrets('browser storage', await browserStorageText(page), secrets);

    expect(requests.some((request) => request.url().includes('/evaluate-scopes/generate-example-access-token'))).toBe(
      true,
    );
    for (const request of requests) {
      const sent = JSON.stringify({
        url: request.url(),
        headers: await request.allHeaders(),
        body: request.postData(),
      });
      assertNoSecrets(`${request.method()} ${request.url()}`, sent, secrets);
    }
  });
});
