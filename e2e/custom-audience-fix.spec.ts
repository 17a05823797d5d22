import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { asMasterAdmin, runCli } from './support/cli.ts';
import { readJson } from './support/cli-fix.ts';
import { jsonReport, passwordGrantToken, scratchUser, useScratchRealm } from './support/cli-realm-fix.ts';
import { audOf, decodeJwtPayload } from './support/real-tokens.ts';

/**
 * A custom audience (a value that names no client, as a proxy in front of an API checks it) put into a
 * caller's tokens by `fix --strategy cross-client --custom-audience`: before, the report says unmet and a real
 * password-grant token lacks it; after the reviewed plan is applied, a client scope with an Audience mapper
 * (Included Custom Audience) is a default scope of the caller, a real token carries the value and the report
 * says met; undo takes the scope and its link away again.
 */

const REALM = 'custom-audience-fix';
const ORDERS = 'https://orders.example.com';
const SCOPE = 'orders.example.com-audience';
const USER = { username: 'custom-aud-user', password: 'custom-aud-user-pw-6e41b2' };

const REALM_REP = {
  realm: REALM,
  clients: [
    {
      clientId: 'shop-spa',
      publicClient: true,
      directAccessGrantsEnabled: true,
      standardFlowEnabled: false,
      attributes: { [REQUIRES_ATTRIBUTE]: JSON.stringify([ORDERS]) },
    },
  ],
  users: [scratchUser(USER, REALM)],
};

interface JsonClient {
  clientId: string;
  verdict: string;
  requirements: { audience: string; status: string }[];
}

const statusOf = async (clientId: string) =>
  (await jsonReport<JsonClient>(REALM))(clientId).requirements.find((item) => item.audience === ORDERS)?.status;

const realAud = async () => audOf(decodeJwtPayload(await passwordGrantToken(REALM, 'shop-spa', USER)));

async function spaAndScope() {
  const admin = await masterAdmin();
  const [spa] = await admin.clients.find({ realm: REALM, clientId: 'shop-spa' });
  if (!spa?.id) throw new Error('no shop-spa');
  const defaults = await admin.clients.listDefaultClientScopes({ realm: REALM, id: spa.id });
  const scope = (await admin.clientScopes.find({ realm: REALM })).find((item) => item.name === SCOPE);
  return { defaults: defaults.map((item) => item.name), scope };
}

test.describe('a custom audience fixed from the command line', () => {
  const folder = useScratchRealm(REALM_REP);
  const connection = () => ['--url', keycloakUrl(), ...asMasterAdmin];
  const planArgs = (extra: string[]) => [
    'fix',
    ...connection(),
    '--realm',
    REALM,
    '--strategy',
    'cross-client',
    '--client',
    'shop-spa',
    ...extra,
  ];

  test('planned, applied, proven by a real token and the report, and undone', async () => {
    test.setTimeout(120_000);
    // Before: required, unmet, and not in a real token.
    expect(await statusOf('shop-spa')).toBe('unmet');
    expect(await realAud()).not.toContain(ORDERS);

    const planFile = join(folder(), 'custom.plan.json');
    const planned = await runCli(planArgs(['--custom-audience', ORDERS, '--plan', planFile]));
    expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(1);
    expect(planned.stdout).toContain(
      `Create client scope "${SCOPE}" with Audience mapper "${SCOPE}" (adds ${ORDERS} to access tokens)`,
    );
    expect(planned.stdout).toContain(`so its access tokens carry ${ORDERS}`);
    const file = readJson<{ audience: string; request: { options: Record<string, unknown> } }>(planFile);
    expect(file.audience).toBe(ORDERS);
    expect(file.request.options).toMatchObject({ strategy: 'cross-client', customAudience: ORDERS });
    expect(file.request.options.audienceClientId).toBeUndefined();

    const journal = join(folder(), 'custom.journal.json');
    const applied = await runCli(['fix', ...connection(), '--apply', planFile, '--journal', journal]);
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    expect(applied.stdout).toContain(`shop-spa: the token carries "${ORDERS}"`);

    // What Keycloak holds: the scope with its one Audience mapper, a default scope of the caller.
    const after = await spaAndScope();
    expect(after.defaults).toContain(SCOPE);
    expect(after.scope?.attributes).toMatchObject({
      'include.in.token.scope': 'false',
      'display.on.consent.screen': 'false',
    });
    expect(after.scope?.protocolMappers).toHaveLength(1);
    const mapper = after.scope?.protocolMappers?.[0];
    expect(mapper?.protocolMapper).toBe('oidc-audience-mapper');
    expect(mapper?.config).toMatchObject({ 'included.custom.audience': ORDERS, 'access.token.claim': 'true' });
    expect(mapper?.config?.['included.client.audience']).toBeUndefined();

    // A real token carries it now, and the report agrees.
    expect(await realAud()).toContain(ORDERS);
    expect(await statusOf('shop-spa')).toBe('met');

    // Planned again: nothing to write.
    const again = await runCli(planArgs(['--custom-audience', ORDERS, '--plan', join(folder(), 'again.json')]));
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toContain(`shop-spa: Its access tokens already carry "${ORDERS}".`);

    const undone = await runCli(['fix', ...connection(), '--undo', journal, '--yes']);
    expect(undone.code, `${undone.stdout}\n${undone.stderr}`).toBe(0);
    const reverted = await spaAndScope();
    expect(reverted.scope).toBeUndefined();
    expect(reverted.defaults).not.toContain(SCOPE);
    expect(await realAud()).not.toContain(ORDERS);
    expect(await statusOf('shop-spa')).toBe('unmet');
  });

  test('the kcadm script and the REST listing carry the custom audience', async () => {
    const kcadm = await runCli(
      planArgs(['--custom-audience', ORDERS, '--plan', join(folder(), 'kcadm.json'), '--format', 'kcadm']),
    );
    expect(kcadm.code, kcadm.stderr).toBe(1);
    expect(kcadm.stdout).toContain(`"included.custom.audience":"${ORDERS}"`);
    expect(kcadm.stdout).toContain('default-client-scopes/$SCOPE_1');
    const rest = await runCli(
      planArgs(['--custom-audience', ORDERS, '--plan', join(folder(), 'rest.json'), '--format', 'rest']),
    );
    expect(rest.code, rest.stderr).toBe(1);
    expect(rest.stdout).toContain(`POST ${keycloakUrl().replace(/\/$/, '')}/admin/realms/${REALM}/client-scopes`);
    expect(rest.stdout).toContain(`"included.custom.audience": "${ORDERS}"`);
  });

  test('a clientId or a padded value is refused before anything is planned', async () => {
    const client = await runCli(planArgs(['--custom-audience', 'shop-spa', '--plan', join(folder(), 'client.json')]));
    expect(client.code).toBe(2);
    expect(client.stderr).toContain(
      `--custom-audience "shop-spa" is the clientId of a client of realm ${REALM}: use --audience shop-spa`,
    );
    const padded = await runCli(planArgs(['--custom-audience', `${ORDERS} `, '--plan', join(folder(), 'pad.json')]));
    expect(padded.code).toBe(2);
    expect(padded.stderr).toContain('starts or ends with white space');
    expect((await spaAndScope()).scope).toBeUndefined();
  });
});
