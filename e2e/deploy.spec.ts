import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type APIResponse, expect, type Page, type Response, test } from '@playwright/test';
import { dashboardClient } from './keycloak/fixtures.ts';
import { keycloakUrl } from './support/admin-api.ts';
import { shippedConfig } from './support/app-config.ts';
import { openClient } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { buildDashboard, deployBuild, deployPort, type NginxServer, type Recipe, startNginx } from './support/nginx.ts';

// The recipes in deploy/, each run in its own nginx in front of the one build, with the CSP enforced.

const policy = (connect: string, formAction: string) =>
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  `connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action ${formAction}`;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
const NO_STORE = 'no-store';
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Deployment {
  title: string;
  recipe: Recipe;
  port: number;
  /** The dashboard's address: exactly a redirect URI of the fixture client. */
  appUrl: string;
  /** Keycloak as the browser sees it, which is what config.json must say. */
  keycloakUrl: string;
  csp: string;
  variables: Record<string, string>;
}

const directKeycloak = keycloakUrl();
const staticPort = deployPort('DEPLOY_NGINX_PORT', 8081);
const proxyPort = deployPort('DEPLOY_SAME_ORIGIN_PORT', 8082);
const proxyOrigin = `http://localhost:${proxyPort}`;

const deployments: Deployment[] = [
  {
    title: 'deploy/nginx: static files at the root of their own origin, Keycloak on another',
    recipe: 'nginx',
    port: staticPort,
    appUrl: `http://localhost:${staticPort}/`,
    keycloakUrl: directKeycloak,
    csp: policy(`'self' ${new URL(directKeycloak).origin}`, new URL(directKeycloak).origin),
    variables: { KEYCLOAK_ORIGIN: new URL(directKeycloak).origin },
  },
  {
    title: 'deploy/same-origin: Keycloak at / and the dashboard at /audience-doctor/ behind one proxy',
    recipe: 'same-origin',
    port: proxyPort,
    appUrl: `${proxyOrigin}/audience-doctor/`,
    keycloakUrl: proxyOrigin,
    csp: policy("'self'", "'self'"),
    // nginx dials the address itself: `localhost` could also mean ::1, where Keycloak does not listen.
    variables: { KEYCLOAK_UPSTREAM: directKeycloak.replace('//localhost:', '//127.0.0.1:') },
  },
];

interface Violation {
  documentURI: string;
  directive: string;
  blockedURI: string;
  disposition: string;
}

/**
 * Records every CSP violation from before the first page script runs. Each document collects them in
 * `window.__cspViolations`; they are also passed to the test, so none is lost when the page navigates away.
 */
async function watchCspViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeBinding('__reportCspViolation', (_source, violation: Violation) => {
    violations.push(violation);
  });
  await page.addInitScript(() => {
    const scope = window as unknown as {
      __cspViolations: Violation[];
      __reportCspViolation: (violation: Violation) => Promise<void>;
    };
    scope.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      const violation = {
        documentURI: event.documentURI,
        directive: event.effectiveDirective,
        blockedURI: event.blockedURI,
        disposition: event.disposition,
      };
      scope.__cspViolations.push(violation);
      void scope.__reportCspViolation(violation);
    });
  });
  return violations;
}

/** Every response the page gets from the dashboard's own files, with its headers. */
function recordResponses(page: Page, appUrl: string): Promise<{ url: string; headers: Record<string, string> }>[] {
  const responses: Promise<{ url: string; headers: Record<string, string> }>[] = [];
  page.on('response', (response: Response) => {
    if (response.url().startsWith(appUrl)) {
      responses.push(response.allHeaders().then((headers) => ({ url: response.url(), headers })));
    }
  });
  return responses;
}

const cacheControlFor = (appUrl: string, url: string) =>
  new URL(url).pathname.startsWith(new URL('assets/', appUrl).pathname) ? IMMUTABLE : NO_STORE;

function assertSecurityHeaders(headers: Record<string, string>, csp: string, what: string) {
  expect(headers['content-security-policy'], `CSP of ${what}`).toBe(csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers[name], `${name} of ${what}`).toBe(value);
}

function assertServed(response: APIResponse, deployment: Deployment, contentType: string, cacheControl: string) {
  const what = response.url();
  expect(response.status(), what).toBe(200);
  const headers = response.headers();
  assertSecurityHeaders(headers, deployment.csp, what);
  expect(headers['content-type'], what).toContain(contentType);
  expect(headers['cache-control'], what).toBe(cacheControl);
}

/** The fixture client must list the address, or Keycloak refuses the redirect back to it. */
function assertFixtureClientAllows(appUrl: string) {
  const client = dashboardClient();
  const origin = new URL(appUrl).origin;
  if (!client.redirectUris?.includes(appUrl) || !client.webOrigins?.includes(origin)) {
    throw new Error(
      `e2e/fixtures/dashboard-client.json must list ${appUrl} in redirectUris and ${origin} in webOrigins ` +
        '(after changing DEPLOY_NGINX_PORT or DEPLOY_SAME_ORIGIN_PORT)',
    );
  }
}

const entryScript = (html: string) =>
  html.match(/<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)">/)?.[1];

let build: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  build = await buildDashboard();
});

test.afterAll(() => {
  if (build) rmSync(build, { recursive: true, force: true });
});

test('the build has relative URLs only, no inline script, and config.json outside the hashed assets', () => {
  const html = readFileSync(join(build, 'index.html'), 'utf8');
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toMatch(/^<script [^>]*\bsrc="\.\/assets\/[^"]+\.js"[^>]*><\/script>$/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/\sstyle=/i);
  for (const [, url] of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(url).toMatch(/^\.\//);

  // config.json is fetched at run time: a file beside index.html, copied as is, never bundled.
  expect(JSON.parse(readFileSync(join(build, 'config.json'), 'utf8'))).toEqual(shippedConfig());
  const assets = readdirSync(join(build, 'assets'));
  expect(assets.filter((name) => name.includes('config'))).toEqual([]);
  for (const name of assets) {
    expect(readFileSync(join(build, 'assets', name), 'utf8'), name).not.toContain(String(shippedConfig().keycloakUrl));
    expect(name, 'hashed file name').toMatch(/-[\w-]{8}\.(js|css)$/);
  }
});

for (const deployment of deployments) {
  test.describe(deployment.title, () => {
    test.use({ baseURL: deployment.appUrl });

    let server: NginxServer | undefined;
    let root: string | undefined;
    const config = {
      ...shippedConfig(),
      keycloakUrl: deployment.keycloakUrl,
      adminConsoleUrl: `${deployment.keycloakUrl}/admin/`,
    };

    test.beforeAll(async () => {
      assertFixtureClientAllows(deployment.appUrl);
      root = deployBuild(build, config);
      server = await startNginx(deployment.recipe, deployment.port, root, deployment.variables);
    });

    test.afterAll(async () => {
      await server?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test('serves each file with the security headers, and caches only the hashed assets', async ({ request }) => {
      const index = await request.get('./');
      assertServed(index, deployment, 'text/html', NO_STORE);
      const entry = entryScript(await index.text());
      expect(entry).toBeDefined();

      const configResponse = await request.get('./config.json');
      assertServed(configResponse, deployment, 'application/json', NO_STORE);
      expect(await configResponse.json()).toEqual(config);
      assertServed(await request.get(`./${entry}`), deployment, 'application/javascript', IMMUTABLE);

      // Errors carry the headers too, are never cached for a year, and are never index.html in disguise.
      for (const missing of ['./assets/missing-00000000.js', './missing.json']) {
        const response = await request.get(missing);
        expect(response.status(), missing).toBe(404);
        assertSecurityHeaders(response.headers(), deployment.csp, missing);
        expect(response.headers()['cache-control'], missing).toBeUndefined();
      }

      if (deployment.recipe === 'same-origin') {
        const bare = await request.get(`${proxyOrigin}/audience-doctor`, { maxRedirects: 0 });
        expect(bare.status()).toBe(301);
        expect(bare.headers().location).toBe('/audience-doctor/');
        assertSecurityHeaders(bare.headers(), deployment.csp, 'the redirect to /audience-doctor/');

        // Keycloak builds its URLs from the forwarded headers, and keeps its own headers.
        const discovery = await request.get(`${proxyOrigin}/realms/demo/.well-known/openid-configuration`);
        expect(discovery.status()).toBe(200);
        expect((await discovery.json()).issuer).toBe(`${proxyOrigin}/realms/demo`);
        expect(discovery.headers()['content-security-policy']).not.toBe(deployment.csp);
      }
    });

    test('a realm admin signs in and audits realm demo with the CSP enforced and not one violation', async ({
      page,
    }) => {
      const violations = await watchCspViolations(page);
      const responses = recordResponses(page, deployment.appUrl);

      await signInAs(page, demoUser('realm-admin'), 'demo', deployment.keycloakUrl);
      await expect(page.getByRole('status', { name: 'Summary' })).toHaveText(
        '8 clients · 5 missing · 1 with a broken fix',
      );
      await expect(page).toHaveURL(`${deployment.appUrl}#/realms/demo/clients`);
      // The client detail comes in a chunk of its own, loaded on demand.
      await openClient(page, 'orders-web');
      await expect(page.getByRole('dialog')).toContainText('orders-web');

      const served = await Promise.all(responses);
      const paths = served.map(({ url }) => new URL(url).pathname);
      const appPath = new URL(deployment.appUrl).pathname;
      expect(paths).toContain(appPath);
      expect(paths).toContain(`${appPath}config.json`);
      expect(paths.some((path) => path.startsWith(`${appPath}assets/`) && path.endsWith('.js'))).toBe(true);
      expect(paths.some((path) => path.startsWith(`${appPath}assets/`) && path.endsWith('.css'))).toBe(true);
      for (const { url, headers } of served) {
        assertSecurityHeaders(headers, deployment.csp, url);
        expect(headers['cache-control'], url).toBe(cacheControlFor(deployment.appUrl, url));
      }

      // Nothing was blocked on the way: not the dashboard, not its styles, not its calls to Keycloak.
      const ofDashboard = () => violations.filter((violation) => violation.documentURI.startsWith(deployment.appUrl));
      expect(await page.locator('script:not([src])').count()).toBe(0);
      expect(ofDashboard()).toEqual([]);

      // The listener does see violations: an inline script is blocked, does not run, and is reported.
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineScriptRan = true;';
        document.body.append(script);
      });
      const blockedInline = { directive: 'script-src-elem', blockedURI: 'inline', disposition: 'enforce' };
      await expect.poll(ofDashboard).toEqual([expect.objectContaining(blockedInline)]);
      expect(await page.evaluate(() => '__inlineScriptRan' in window)).toBe(false);
      expect(
        await page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations),
      ).toEqual(ofDashboard());
    });
  });
}
