import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import { repoRoot } from './keycloak/settings.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { demoUser } from './support/demo.ts';
import { audOf, type Grant, requestToken, type TokenOutcome, type TokenRequest } from './support/real-tokens.ts';

interface FixtureClient {
  clientId: string;
  secret?: string;
  publicClient?: boolean;
  redirectUris?: string[];
}

function fixtureClient(file: string, clientId: string): FixtureClient {
  const realm = JSON.parse(readFileSync(join(repoRoot, 'e2e', 'fixtures', file), 'utf8'));
  const client = (realm.clients as FixtureClient[]).find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`${file} has no client ${clientId}`);
  return client;
}

const alice = demoUser('alice');
const plainUser = demoUser('plain-user', 'audience-cases-realm.json');

/** A token request for a fixture client, as the client itself would send it. */
function requestFor(
  realm: 'demo' | 'demo-2' | 'audience-cases',
  clientId: string,
  more: Partial<TokenRequest> = {},
): TokenRequest {
  const client = fixtureClient(`${realm}-realm.json`, clientId);
  return {
    baseUrl: keycloakUrl(),
    realm,
    clientId,
    clientSecret: client.publicClient ? undefined : client.secret,
    redirectUri: client.redirectUris?.[0],
    user: realm === 'audience-cases' ? plainUser : alice,
    ...more,
  };
}

function expectToken(outcome: TokenOutcome, clientId: string) {
  if (outcome.kind !== 'token') throw new Error(`expected a token, got ${JSON.stringify(outcome)}`);
  expect(outcome.claims.azp).toBe(clientId);
  return outcome;
}

const scopesOf = (claims: Record<string, unknown>) => String(claims.scope ?? '').split(' ');

function expectRefused(
  outcome: TokenOutcome,
  refusal: { stage: string; status: number; error: string; description?: string },
) {
  expect(outcome.kind === 'refused' ? { ...outcome, grant: undefined } : outcome).toEqual({
    kind: 'refused',
    grant: undefined,
    description: undefined,
    ...refusal,
  });
}

test.describe('real tokens from the token endpoint', () => {
  test('the authorization code flow signs in and yields the client its token, on each realm', async () => {
    const ordersWeb = expectToken(
      await requestToken('authorization_code', requestFor('demo', 'orders-web')),
      'orders-web',
    );
    expect(ordersWeb.claims.preferred_username).toBe('alice');
    expect(scopesOf(ordersWeb.claims)).toContain('openid');
    expect(ordersWeb.claims.typ).toBe('Bearer');

    // A public client: PKCE alone proves it is the one that asked.
    const shopSpa = expectToken(await requestToken('authorization_code', requestFor('demo', 'shop-spa')), 'shop-spa');
    expect(shopSpa.claims.preferred_username).toBe('alice');

    // demo-2 has no users of its own: Keycloak shows its sign-in page again, with its message.
    expectRefused(await requestToken('authorization_code', requestFor('demo-2', 'legacy-portal')), {
      stage: 'login',
      status: 200,
      error: 'login_failed',
      description: 'Invalid username or password.',
    });
  });

  test('an optional scope is in the code flow token only when requested, and brings its audience', async () => {
    const without = expectToken(
      await requestToken('authorization_code', requestFor('audience-cases', 'case-optional-scope')),
      'case-optional-scope',
    );
    expect(scopesOf(without.claims)).not.toContain('case-optional-scope-audience');
    expect(audOf(without.claims)).not.toContain('case-optional-scope');

    const withScope = expectToken(
      await requestToken(
        'authorization_code',
        requestFor('audience-cases', 'case-optional-scope', { scope: ['case-optional-scope-audience'] }),
      ),
      'case-optional-scope',
    );
    expect(scopesOf(withScope.claims)).toContain('case-optional-scope-audience');
    expect(audOf(withScope.claims)).toContain('case-optional-scope');
  });

  test('a consent-required client gets its token once the user accepts the consent page', async () => {
    const admin = await masterAdmin();
    const [user] = await admin.users.find({ realm: 'audience-cases', username: plainUser.username, exact: true });
    if (!user?.id) throw new Error('audience-cases has no plain-user');
    // Keycloak asks only once: take back an earlier consent so that the page is shown.
    const consents = await admin.users.listConsents({ realm: 'audience-cases', id: user.id });
    if (consents.some((consent) => consent.clientId === 'case-consent-required-fixed')) {
      await admin.users.revokeConsent({
        realm: 'audience-cases',
        id: user.id,
        clientId: 'case-consent-required-fixed',
      });
    }
    const steps: string[] = [];
    const outcome = expectToken(
      await requestToken(
        'authorization_code',
        requestFor('audience-cases', 'case-consent-required-fixed', { trace: (line) => steps.push(line) }),
      ),
      'case-consent-required-fixed',
    );
    expect(steps).toContainEqual(
      expect.stringMatching(/^POST \/realms\/audience-cases\/login-actions\/consent → 302 /),
    );
    expect(audOf(outcome.claims)).toContain('case-consent-required-fixed');
  });

  test('the implicit flow yields its token in the redirect fragment', async () => {
    const outcome = expectToken(
      await requestToken('implicit', requestFor('audience-cases', 'case-implicit-only', { scope: ['phone'] })),
      'case-implicit-only',
    );
    expect(scopesOf(outcome.claims)).toContain('phone');
    expect(outcome.claims.preferred_username).toBe('plain-user');
  });

  test('the password grant yields a token with the optional scopes asked for', async () => {
    const request = requestFor('audience-cases', 'case-password-grant-only');
    const plain = expectToken(await requestToken('password', request), 'case-password-grant-only');
    expect(scopesOf(plain.claims)).not.toContain('address');
    const withAddress = expectToken(
      await requestToken('password', { ...request, scope: ['address'] }),
      'case-password-grant-only',
    );
    expect(scopesOf(withAddress.claims)).toContain('address');
    // The secret is accepted in the body as well as in the Authorization header.
    expectToken(
      await requestToken('password', { ...request, clientAuth: 'client_secret_post' }),
      'case-password-grant-only',
    );
  });

  test('client credentials yield a service-account token', async () => {
    const reportWorker = expectToken(
      await requestToken('client_credentials', requestFor('demo', 'report-worker', { user: undefined })),
      'report-worker',
    );
    expect(reportWorker.claims.preferred_username).toBe('service-account-report-worker');
    const fixed = expectToken(
      await requestToken(
        'client_credentials',
        requestFor('audience-cases', 'case-service-account-fixed', { scope: ['phone'] }),
      ),
      'case-service-account-fixed',
    );
    expect(audOf(fixed.claims)).toContain('case-service-account-fixed');
    expect(scopesOf(fixed.claims)).toContain('phone');
  });

  test('the device grant: the user signs in at the verification URI, confirms, and the device polls a token', async () => {
    const outcome = expectToken(
      await requestToken('device_code', requestFor('audience-cases', 'case-device-grant-only', { scope: ['phone'] })),
      'case-device-grant-only',
    );
    expect(outcome.claims.preferred_username).toBe('plain-user');
    expect(scopesOf(outcome.claims)).toContain('phone');
  });

  test('a wrong password is refused with Keycloak’s message on each path', async () => {
    const wrong = { username: plainUser.username, password: `${plainUser.password}-wrong` };
    const passwordGrant = await requestToken(
      'password',
      requestFor('audience-cases', 'case-password-grant-only', { user: wrong }),
    );
    // Keycloak 24.0 answers 401, 26.7 answers 400; the error and its text are the same.
    const status = passwordGrant.kind === 'refused' ? passwordGrant.status : 0;
    expect([400, 401]).toContain(status);
    expectRefused(passwordGrant, {
      stage: 'token',
      status,
      error: 'invalid_grant',
      description: 'Invalid user credentials',
    });
    for (const [grant, clientId] of [
      ['authorization_code', 'case-optional-scope'],
      ['implicit', 'case-implicit-only'],
      ['device_code', 'case-device-grant-only'],
    ] as const) {
      expectRefused(await requestToken(grant, requestFor('audience-cases', clientId, { user: wrong })), {
        stage: 'login',
        status: 200,
        error: 'login_failed',
        description: 'Invalid username or password.',
      });
    }
  });

  test('an unknown scope is refused as invalid_scope by every grant but the device grant', async () => {
    const scope = ['no-such-scope'];
    const description = 'Invalid scopes: openid no-such-scope';
    expectRefused(await requestToken('password', requestFor('audience-cases', 'case-password-grant-only', { scope })), {
      stage: 'token',
      status: 400,
      error: 'invalid_scope',
      description,
    });
    expectRefused(
      await requestToken('client_credentials', requestFor('audience-cases', 'case-service-account-fixed', { scope })),
      { stage: 'token', status: 400, error: 'invalid_scope', description },
    );
    expectRefused(
      await requestToken('authorization_code', requestFor('audience-cases', 'case-optional-scope', { scope })),
      {
        stage: 'authorization',
        status: 302,
        error: 'invalid_scope',
        description,
      },
    );
    expectRefused(await requestToken('implicit', requestFor('audience-cases', 'case-implicit-only', { scope })), {
      stage: 'authorization',
      status: 302,
      error: 'invalid_scope',
      description,
    });
    // The device authorization endpoint does not check scopes (DeviceEndpoint.handleDeviceRequest): it drops
    // the unknown one and the device still gets its token.
    const device = expectToken(
      await requestToken('device_code', requestFor('audience-cases', 'case-device-grant-only', { scope })),
      'case-device-grant-only',
    );
    expect(scopesOf(device.claims)).not.toContain('no-such-scope');
  });

  test('a client with no flow enabled is refused by every grant, with Keycloak’s reason', async () => {
    const request = requestFor('audience-cases', 'case-no-flows');
    const refusals: Record<Grant, TokenOutcome> = {
      authorization_code: await requestToken('authorization_code', request),
      implicit: await requestToken('implicit', request),
      password: await requestToken('password', request),
      client_credentials: await requestToken('client_credentials', request),
      device_code: await requestToken('device_code', request),
    };
    expect(refusals).toEqual(NO_FLOWS_REFUSALS);
  });

  test('bearer-only and disabled clients are refused before any grant is looked at', async () => {
    for (const grant of ['authorization_code', 'implicit'] as const) {
      expectRefused(await requestToken(grant, requestFor('audience-cases', 'case-bearer-only')), {
        stage: 'authorization',
        status: 403,
        error: 'error_page',
        description: 'Bearer-only applications are not allowed to initiate browser login',
      });
      expectRefused(await requestToken(grant, requestFor('audience-cases', 'case-disabled')), {
        stage: 'authorization',
        status: 400,
        error: 'error_page',
        description: 'Client disabled.',
      });
    }
    for (const grant of ['password', 'client_credentials'] as const) {
      expectRefused(await requestToken(grant, requestFor('audience-cases', 'case-bearer-only')), {
        stage: 'token',
        status: 400,
        error: 'invalid_client',
        description: 'Bearer-only not allowed',
      });
    }
    for (const grant of ['password', 'client_credentials', 'device_code'] as const) {
      expectRefused(await requestToken(grant, requestFor('audience-cases', 'case-disabled')), {
        stage: grant === 'device_code' ? 'device_authorization' : 'token',
        status: 401,
        error: 'invalid_client',
        description: 'Invalid client or Invalid client credentials',
      });
    }
  });
});

/** What Keycloak answers a client with every grant switched off. */
const NO_FLOWS_REFUSALS: Record<Grant, TokenOutcome> = {
  authorization_code: {
    kind: 'refused',
    grant: 'authorization_code',
    stage: 'authorization',
    status: 302,
    error: 'unauthorized_client',
    description:
      'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.',
  },
  implicit: {
    kind: 'refused',
    grant: 'implicit',
    stage: 'authorization',
    status: 302,
    error: 'unauthorized_client',
    description:
      'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.',
  },
  password: {
    kind: 'refused',
    grant: 'password',
    stage: 'token',
    status: 400,
    error: 'unauthorized_client',
    description: 'Client not allowed for direct access grants',
  },
  client_credentials: {
    kind: 'refused',
    grant: 'client_credentials',
    stage: 'token',
    status: 401,
    error: 'unauthorized_client',
    description: 'Client not enabled to retrieve service account',
  },
  device_code: {
    kind: 'refused',
    grant: 'device_code',
    stage: 'device_authorization',
    status: 400,
    error: 'unauthorized_client',
    description:
      'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client.',
  },
};

test.describe('clients that can never yield a token', () => {
  const realm = `real-tokens-${randomBytes(4).toString('hex')}`;
  let admin: KcAdminClient;

  test.beforeAll(async () => {
    admin = await masterAdmin();
    await admin.realms.create({
      realm,
      enabled: true,
      sslRequired: 'none',
      users: [
        {
          username: 'pat',
          enabled: true,
          firstName: 'Pat',
          lastName: 'Doe',
          email: 'pat@example.org',
          emailVerified: true,
          credentials: [{ type: 'password', value: 'pat-password', temporary: false }],
        },
      ],
      clients: [
        {
          clientId: 'public-service-account-only',
          publicClient: true,
          standardFlowEnabled: false,
          directAccessGrantsEnabled: false,
          serviceAccountsEnabled: true,
        },
        {
          clientId: 'consent-password-only',
          publicClient: false,
          secret: 'consent-password-only-secret',
          consentRequired: true,
          standardFlowEnabled: false,
          directAccessGrantsEnabled: true,
        },
      ],
    });
  });

  test.afterAll(async () => {
    await admin?.realms.del({ realm });
  });

  test('a public client whose only grant is the service account', async () => {
    const outcome = await requestToken('client_credentials', {
      baseUrl: keycloakUrl(),
      realm,
      clientId: 'public-service-account-only',
    });
    expectRefused(outcome, {
      stage: 'token',
      status: 401,
      error: 'unauthorized_client',
      description: 'Public client not allowed to retrieve service account',
    });
  });

  test('a consent-required client whose only grant is the password grant', async () => {
    const outcome = await requestToken('password', {
      baseUrl: keycloakUrl(),
      realm,
      clientId: 'consent-password-only',
      clientSecret: 'consent-password-only-secret',
      user: { username: 'pat', password: 'pat-password' },
    });
    expectRefused(outcome, {
      stage: 'token',
      status: 400,
      error: 'invalid_client',
      description: 'Client requires user consent',
    });
  });
});
