import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { createRemediationApi } from '../src/keycloak/remediation-api.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { findUserByUsername, generateExampleToken, serviceAccountUserId } from '../src/keycloak/tokens.ts';
import { executePlan } from '../src/remediation/execute.ts';
import { planFix } from '../src/remediation/plan.ts';
import type { RemediationApi } from '../src/remediation/port.ts';
import type { PlanOptions, Strategy } from '../src/remediation/types.ts';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { countRequests, isAdminWrite, masterAdmin } from './support/admin-api.ts';

// The executor against the real server, each test on its own fresh copy of the demo realm.
const REALM = 'remediation-copy';
const BROKEN = ['orders-web', 'shop-spa', 'report-worker'];

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.beforeEach(async () => {
  await importDemoCopy(admin, REALM);
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

async function planFor(clientIds: string[], options: Omit<PlanOptions, 'runId'>, runId = `run-${Date.now()}`) {
  const snapshot = await loadSnapshot(admin, REALM);
  return planFix(snapshot, auditRealm(snapshot), clientIds, { runId, ...options });
}

const writesOf = (requests: string[]) =>
  requests.filter((request) => {
    const [method = '', path = ''] = request.split(' ');
    return isAdminWrite(method, path);
  });

/** The aud of the token Keycloak would issue now: to the service account, else to the demo user alice. */
async function audNow(clientId: string): Promise<string[]> {
  const [client] = await admin.clients.find({ realm: REALM, clientId });
  if (!client?.id) throw new Error(`no client ${clientId}`);
  const userId = client.serviceAccountsEnabled
    ? await serviceAccountUserId(admin, REALM, client.id)
    : (await findUserByUsername(admin, REALM, 'alice'))?.id;
  if (!userId) throw new Error('no user to generate a token for');
  return (await generateExampleToken(admin, REALM, client.id, userId)).aud;
}

async function verdicts(clientIds: string[]) {
  const audit = auditRealm(await loadSnapshot(admin, REALM));
  return clientIds.map((clientId) => audit.clients.find((item) => item.clientId === clientId)?.verdict);
}

const strategies: { strategy: Strategy; writesPerClient: number; extra?: Partial<PlanOptions> }[] = [
  { strategy: 'dedicated-mapper', writesPerClient: 1 },
  { strategy: 'client-scope', writesPerClient: 2 },
];

for (const { strategy, writesPerClient } of strategies) {
  test(`${strategy}: fixes the clients, proven by generated tokens, and a re-run writes nothing`, async () => {
    for (const clientId of BROKEN) expect(await audNow(clientId)).not.toContain(clientId);
    const plan = await planFor(BROKEN, { strategy });
    expect(plan.fixes).toEqual(BROKEN);

    const api = createRemediationApi(admin);
    const { result, requests } = await countRequests(() => executePlan(api, plan));
    expect(result.status, result.message).toBe('applied');
    expect(writesOf(requests)).toHaveLength(BROKEN.length * writesPerClient);
    expect(result.created.length).toBe(BROKEN.length);
    for (const created of result.created) expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    for (const clientId of BROKEN) expect(await audNow(clientId)).toContain(clientId);
    expect(await verdicts(BROKEN)).toEqual(BROKEN.map(() => 'ok'));

    const again = await countRequests(() => executePlan(api, { ...plan, runId: `${plan.runId}-again` }));
    expect(again.result.status).toBe('nothing-to-do');
    expect(writesOf(again.requests)).toEqual([]);
  });
}

test('client-scope: every created scope says who made it, for which client and in which run', async () => {
  const plan = await planFor(['orders-web'], { strategy: 'client-scope' }, 'run-provenance');
  const result = await executePlan(createRemediationApi(admin), plan);
  expect(result.status, result.message).toBe('applied');
  const scope = await admin.clientScopes.findOneByName({ realm: REALM, name: 'orders-web-audience' });
  expect(scope?.description).toBe('Created by Audience Doctor for client "orders-web" (run run-provenance)');
  expect(scope?.attributes).toMatchObject({ 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' });
  const [client] = await admin.clients.find({ realm: REALM, clientId: 'orders-web' });
  const defaults = await admin.clients.listDefaultClientScopes({ realm: REALM, id: client?.id as string });
  expect(defaults.map((link) => link.name)).toContain('orders-web-audience');
});

test('shared scope: refused without consent, then one scope that puts every service into every token', async () => {
  const clients = ['orders-web', 'shop-spa'];
  const plan = await planFor(clients, { strategy: 'shared-scope', sharedScopeName: 'good-service' });
  expect(plan.crossAcceptance).toEqual([
    { clientId: 'orders-web', accepts: ['shop-spa'] },
    { clientId: 'shop-spa', accepts: ['orders-web'] },
  ]);
  const api = createRemediationApi(admin);
  const refused = await countRequests(() => executePlan(api, plan));
  expect(refused.result.status).toBe('refused');
  expect(refused.requests).toEqual([]);

  const result = await executePlan(api, plan, { consent: true });
  expect(result.status, result.message).toBe('applied');
  for (const clientId of clients) expect(await audNow(clientId)).toEqual(expect.arrayContaining(clients));
});

test('repair: the broken mapper of payroll-app is switched on, not doubled, and tokens prove it', async () => {
  expect(await audNow('payroll-app')).not.toContain('payroll-app');
  const plan = await planFor(['payroll-app'], { strategy: 'repair' });
  expect(plan.steps.map((step) => step.write.kind)).toEqual(['update-client-mapper']);
  const { result, requests } = await countRequests(() => executePlan(createRemediationApi(admin), plan));
  expect(result.status, result.message).toBe('applied');
  expect(writesOf(requests)).toHaveLength(1);
  expect(result.created).toEqual([]);
  expect(await audNow('payroll-app')).toContain('payroll-app');
  const [client] = await admin.clients.find({ realm: REALM, clientId: 'payroll-app' });
  const audienceMappers = (client?.protocolMappers ?? []).filter((m) => m.protocolMapper === 'oidc-audience-mapper');
  expect(audienceMappers).toHaveLength(1);
});

test('a double click applies once', async () => {
  const plan = await planFor(BROKEN, { strategy: 'dedicated-mapper' });
  const api = createRemediationApi(admin);
  const { result, requests } = await countRequests(() => Promise.all([executePlan(api, plan), executePlan(api, plan)]));
  expect(result[0]).toBe(result[1]);
  expect(writesOf(requests)).toHaveLength(BROKEN.length);
});

test('the realm changed after the preview: nothing is written and the new plan is shown', async () => {
  const plan = await planFor(['orders-web'], { strategy: 'client-scope' });
  // Someone else takes the name the preview chose.
  await admin.clientScopes.create({ realm: REALM, name: 'orders-web-audience', protocol: 'openid-connect' });
  const { result, requests } = await countRequests(() => executePlan(createRemediationApi(admin), plan));
  expect(result.status).toBe('changed');
  expect(writesOf(requests)).toEqual([]);
  expect(result.plan.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'orders-web-audience-2' } });
});

test('a name taken between re-read and write (409) stops the run and undoes what it wrote', async () => {
  const plan = await planFor(['orders-web', 'shop-spa'], { strategy: 'client-scope' });
  const real = createRemediationApi(admin);
  let creates = 0;
  const racing: RemediationApi = {
    ...real,
    createScope: async (realm, scope) => {
      creates += 1;
      // The second scope's name is taken just before our write reaches Keycloak.
      if (creates === 2)
        await real.createScope(realm, { ...scope, description: 'made by someone else', protocolMappers: [] });
      return real.createScope(realm, scope);
    },
  };
  const result = await executePlan(racing, plan);
  expect(result.status).toBe('failed');
  expect(result.message).toContain('Step 3 of 4 failed');
  expect(result.message).toContain('shop-spa-audience');
  expect(result.message).toContain('Everything this run wrote has been undone.');
  expect(result.rollback?.left).toEqual([]);
  expect(await admin.clientScopes.findOneByName({ realm: REALM, name: 'orders-web-audience' })).toBeUndefined();
  expect(await verdicts(['orders-web'])).toEqual(['missing']);
});
