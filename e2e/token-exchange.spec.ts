import { expect, test } from '@playwright/test';
import { STANDARD_TOKEN_EXCHANGE } from '../src/audit/token-exchange.ts';
import { ruleApplies } from '../src/audit/version-rules.ts';
import { keycloakUrl } from './support/admin-api.ts';
import {
  jsonReport,
  passwordGrantToken,
  putAudienceIntoTokens,
  scratchUser,
  useScratchRealm,
} from './support/cli-realm-fix.ts';
import { audOf, decodeJwtPayload } from './support/real-tokens.ts';
import { serverVersion } from './support/server-version.ts';

/**
 * Token-exchange readiness proven by Keycloak's own token endpoint: before the fix, a real standard (V2)
 * exchange of a caller's token fails with 403 "Client is not within the token audience"; after the
 * cross-client fix the report offers, it succeeds, and the audience parameter narrows to what the report says.
 * Before 26.2 there is no standard token exchange: the report says so and Keycloak refuses the request.
 */

const REALM = 'exchange-readiness';
const USER = { username: 'exchange-user', password: 'exchange-user-pw-4e81b7' };
const GATEWAY_SECRET = 'gateway-secret-93d0aa';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

const REALM_REP = {
  realm: REALM,
  clients: [
    {
      clientId: 'gateway',
      publicClient: false,
      secret: GATEWAY_SECRET,
      standardFlowEnabled: false,
      attributes: { [STANDARD_TOKEN_EXCHANGE]: 'true' },
      // Its own tokens carry orders-api: what its audience parameter can narrow to.
      protocolMappers: [
        {
          name: 'orders-api audience',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.client.audience': 'orders-api', 'access.token.claim': 'true' },
        },
      ],
    },
    { clientId: 'orders-api', bearerOnly: true },
    { clientId: 'spa', publicClient: true, directAccessGrantsEnabled: true, standardFlowEnabled: false },
  ],
  users: [scratchUser(USER, REALM)],
};

const spaToken = () => passwordGrantToken(REALM, 'spa', USER);

/** gateway exchanges the subject token (client_secret_basic), optionally narrowed to `audience`. */
async function exchange(subjectToken: string, audience?: string) {
  const response = await fetch(`${keycloakUrl()}/realms/${REALM}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`gateway:${GATEWAY_SECRET}`)}` },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      ...(audience ? { audience } : {}),
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, string>;
  return { status: response.status, body };
}

interface JsonExchange {
  available: boolean | null;
  publicClient: boolean;
  acceptsTokensOf: { clientId: string }[];
  narrowsTo: string[];
}

async function gatewayReadiness(): Promise<JsonExchange | null> {
  return (await jsonReport<{ clientId: string; exchange: JsonExchange | null }>(REALM))('gateway').exchange;
}

test.describe('token exchange readiness', () => {
  const folder = useScratchRealm(REALM_REP);

  test('a caller whose tokens lack the exchanging client cannot be exchanged until the fix puts it there', async () => {
    test.setTimeout(120_000);
    const available = ruleApplies('standardTokenExchange', await serverVersion());

    expect(await gatewayReadiness()).toEqual({
      available: available ?? null,
      publicClient: false,
      acceptsTokensOf: [],
      narrowsTo: ['orders-api'],
    });
    const before = await exchange(await spaToken());
    if (available) {
      expect(before.status).toBe(403);
      expect(before.body.error_description).toBe('Client is not within the token audience');
    } else {
      // Not applicable on this version: no standard token exchange, and Keycloak grants nothing.
      expect(before.status).toBeGreaterThanOrEqual(400);
      expect(before.body.access_token).toBeUndefined();
    }

    await putAudienceIntoTokens(REALM, 'gateway', 'spa', folder());

    expect((await gatewayReadiness())?.acceptsTokensOf.map((holder) => holder.clientId)).toEqual(['spa']);
    const token = await spaToken();
    const after = await exchange(token);
    const narrowed = await exchange(token, 'orders-api');
    if (available) {
      expect(after.status, after.body.error_description).toBe(200);
      expect(narrowed.status, narrowed.body.error_description).toBe(200);
      expect(audOf(decodeJwtPayload(narrowed.body.access_token ?? ''))).toEqual(['orders-api']);
    } else {
      expect(after.body.access_token).toBeUndefined();
    }
  });
});
