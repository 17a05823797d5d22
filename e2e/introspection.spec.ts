import { expect, test } from '@playwright/test';
import { INTROSPECTION_WITHOUT_AUDIENCE_CHECK } from '../src/audit/introspection.ts';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { ruleApplies } from '../src/audit/version-rules.ts';
import {
  jsonReport,
  passwordGrantToken,
  putAudienceIntoTokens,
  scratchUser,
  useScratchRealm,
} from './support/cli-realm-fix.ts';
import { introspectedActive } from './support/introspection.ts';
import { serverVersion } from './support/server-version.ts';

/**
 * Introspection readiness proven by Keycloak's own introspection endpoint: before the fix, the API's real
 * introspection of a caller's real token answers active:false (from 26.4.12, 26.6.2, 26.7.0; before, true),
 * while a client in the token's aud gets active:true, and the report says unmet; after the cross-client fix a
 * newly issued token passes and the report says met.
 */

const REALM = 'introspection-readiness';
const USER = { username: 'intro-user', password: 'intro-user-pw-8d27e1' };
const ORDERS_SECRET = 'orders-api-secret-5b0c93';
const REPORTS_SECRET = 'reports-api-secret-71ad4e';
const LEGACY_SECRET = 'legacy-api-secret-2c6f18';

const confidential = (clientId: string, secret: string, attributes: Record<string, string> = {}) => ({
  clientId,
  publicClient: false,
  secret,
  standardFlowEnabled: false,
  attributes,
});

const REALM_REP = {
  realm: REALM,
  clients: [
    confidential('orders-api', ORDERS_SECRET),
    confidential('reports-api', REPORTS_SECRET),
    confidential('legacy-api', LEGACY_SECRET, { [INTROSPECTION_WITHOUT_AUDIENCE_CHECK]: 'True' }),
    {
      clientId: 'spa',
      publicClient: true,
      directAccessGrantsEnabled: true,
      standardFlowEnabled: false,
      attributes: { [REQUIRES_ATTRIBUTE]: '["orders-api"]' },
      // Its tokens carry reports-api, not orders-api.
      protocolMappers: [
        {
          name: 'reports-api audience',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.client.audience': 'reports-api', 'access.token.claim': 'true' },
        },
      ],
    },
  ],
  users: [scratchUser(USER, REALM)],
};

const spaToken = () => passwordGrantToken(REALM, 'spa', USER);

/** Keycloak's answer to `clientId` introspecting `token` (client_secret_basic). */
const introspect = (clientId: string, secret: string, token: string) =>
  introspectedActive(REALM, clientId, secret, token);

interface JsonClient {
  clientId: string;
  requirements: { audience: string; status: string }[];
  introspection: {
    checksAudience: boolean | null;
    withoutAudienceCheck: boolean;
    callers: { clientId: string; status: string }[];
    failing: string[];
    carriedBy: { clientId: string }[];
  } | null;
}

const report = () => jsonReport<JsonClient>(REALM);

test.describe('introspection readiness', () => {
  const folder = useScratchRealm(REALM_REP);

  test('a caller whose tokens lack the API fails its introspection until the fix puts it there', async () => {
    test.setTimeout(120_000);
    const checks = ruleApplies('introspectionChecksAudience', await serverVersion());

    const beforeFix = await report();
    expect(beforeFix('spa').requirements).toEqual([
      expect.objectContaining({ audience: 'orders-api', status: 'unmet' }),
    ]);
    expect(beforeFix('orders-api').introspection).toMatchObject({
      checksAudience: checks ?? null,
      withoutAudienceCheck: false,
      callers: [{ clientId: 'spa', status: 'unmet' }],
      failing: ['spa'],
    });

    const token = await spaToken();
    // Keycloak itself: the API is not in aud, so from the versions with the check it calls the token inactive.
    expect(await introspect('orders-api', ORDERS_SECRET, token)).toBe(!checks);
    // A client in its aud, and a client with the switch on, are told it is active.
    expect(await introspect('reports-api', REPORTS_SECRET, token)).toBe(true);
    expect(await introspect('legacy-api', LEGACY_SECRET, token)).toBe(true);
    expect(beforeFix('legacy-api').introspection).toMatchObject({ withoutAudienceCheck: true, failing: [] });

    // The fix the report points to: orders-api into spa's tokens (cross-client), planned, then applied.
    await putAudienceIntoTokens(REALM, 'orders-api', 'spa', folder());

    const afterFix = await report();
    expect(afterFix('spa').requirements).toEqual([expect.objectContaining({ audience: 'orders-api', status: 'met' })]);
    expect(afterFix('orders-api').introspection).toMatchObject({
      callers: [{ clientId: 'spa', status: 'met' }],
      failing: [],
    });
    expect(await introspect('orders-api', ORDERS_SECRET, await spaToken())).toBe(true);
  });
});
