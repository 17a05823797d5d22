import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { parseJournal } from './journal-schema.ts';
import { customAudienceName } from './names.ts';
import { customAudienceScopeDescription } from './new-objects.ts';
import { planFix } from './plan.ts';
import { buildPlanFile, parsePlanFile, planFileText, planOf } from './plan-file.ts';
import { audienceHolders, predictedAfter, predictedHolders } from './predict.ts';
import { describePlan } from './render-human.ts';
import { kcadmScript } from './render-kcadm.ts';
import { restCalls } from './render-rest.ts';
import { simulate } from './simulate.ts';
import { planRealmFixture, scopeFixture } from './test-fixtures.ts';
import type { PlanOptions } from './types.ts';

/** A custom audience: a value no client has as its clientId, as an API behind a proxy checks it. */
const ORDERS = 'https://orders.example.com';
const REQUIRES = 'audience-doctor.requires';
const LIGHTWEIGHT = { 'client.use.lightweight.access.token.enabled': 'true' };

const client = clientRepFixture;
const caller = (clientId: string, settings: Partial<ClientRep> = {}) =>
  client(clientId, { publicClient: true, attributes: { [REQUIRES]: JSON.stringify([ORDERS]) }, ...settings });

const customMapper = (value: string, flags: Record<string, string> = {}): ProtocolMapperRep => ({
  id: `mapper-${value}`,
  name: 'custom',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.custom.audience': value, 'access.token.claim': 'true', ...flags },
});

const scope = scopeFixture;
const realm = (clients: ClientRep[], scopes: ClientScopeRep[] = []) => planRealmFixture(clients, { scopes });

const cross = (snapshot: RealmSnapshot, clientIds: string[], options: Partial<PlanOptions> = {}) =>
  planFix(snapshot, auditRealm(snapshot), clientIds, {
    strategy: 'cross-client',
    runId: 'run-1',
    customAudience: ORDERS,
    ...options,
  });

const statusOf = (snapshot: RealmSnapshot, clientId: string, audience = ORDERS) =>
  auditRealm(snapshot)
    .clients.find((item) => item.clientId === clientId)
    ?.requirements.find((item) => item.audience === audience)?.status;

const NAME = 'orders.example.com-audience';

describe('cross-client for a custom audience', () => {
  it('creates a scope whose Audience mapper adds the value as Included Custom Audience, attached to each caller', () => {
    const snapshot = realm([caller('web'), caller('mobile')]);
    expect(statusOf(snapshot, 'web')).toBe('unmet');
    const result = cross(snapshot, ['web', 'mobile']);
    const ref = { name: NAME };
    expect(result.steps).toEqual([
      {
        write: {
          kind: 'create-scope',
          scope: {
            name: NAME,
            description: `Audience scope of custom audience "${ORDERS}": the clients it is attached to get "${ORDERS}" in aud. Created by Audience Doctor for clients "web", "mobile" (run run-1)`,
            protocol: 'openid-connect',
            attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
            protocolMappers: [
              {
                name: NAME,
                protocol: 'openid-connect',
                protocolMapper: 'oidc-audience-mapper',
                config: {
                  'included.custom.audience': ORDERS,
                  'access.token.claim': 'true',
                  'introspection.token.claim': 'true',
                  'id.token.claim': 'false',
                  'lightweight.claim': 'false',
                },
              },
            ],
          },
        },
        undo: { kind: 'delete-scope', scope: ref },
        clientIds: ['web', 'mobile'],
      },
      {
        write: { kind: 'attach-default-scope', client: { id: 'uuid-web', clientId: 'web' }, scope: ref },
        undo: { kind: 'detach-default-scope', client: { id: 'uuid-web', clientId: 'web' }, scope: ref },
        clientIds: ['web'],
      },
      {
        write: { kind: 'attach-default-scope', client: { id: 'uuid-mobile', clientId: 'mobile' }, scope: ref },
        undo: { kind: 'detach-default-scope', client: { id: 'uuid-mobile', clientId: 'mobile' }, scope: ref },
        clientIds: ['mobile'],
      },
    ]);
    expect(result).toMatchObject({
      fixes: ['web', 'mobile'],
      skipped: [],
      audience: ORDERS,
      crossAcceptance: [{ clientId: ORDERS, accepts: ['web', 'mobile'] }],
      requiresConsent: false,
      request: { options: { customAudience: ORDERS } },
    });
    expect(result.request.options.audienceClientId).toBeUndefined();
    // The engine, run on the realm as the plan leaves it, finds the requirement met.
    const after = simulate(snapshot, result);
    expect(statusOf(after, 'web')).toBe('met');
    expect(predictedAfter(snapshot, result).get('mobile')?.verdict).toBe('ok');
    expect(predictedHolders(snapshot, result)).toEqual([
      { clientId: 'web', applies: 'always' },
      { clientId: 'mobile', applies: 'always' },
    ]);
    // Planned again on that realm: nothing left to write.
    const again = cross(after, ['web', 'mobile']);
    expect(again.steps).toEqual([]);
    expect(again.skipped.map((item) => item.code)).toEqual(['already-ok', 'already-ok']);
  });

  it('derives a valid scope name from the value, and takes a wished one', () => {
    expect(customAudienceName('https://orders.example.com')).toBe(NAME);
    expect(customAudienceName('https://api.example.com/v1/')).toBe('api.example.com-v1-audience');
    expect(customAudienceName('urn:shop:orders')).toBe('urn-shop-orders-audience');
    expect(customAudienceName('ordersé "api"')).toBe('orders-api-audience');
    expect(customAudienceName('://')).toBe('custom-audience');
    const long = customAudienceName(`https://${'a'.repeat(300)}.example.com`);
    expect(long).toHaveLength(240);
    expect(long).toMatch(/^a+-[0-9a-f]{8}$/);
    const snapshot = realm([caller('web')]);
    const wished = cross(snapshot, ['web'], { scopeNames: { [ORDERS]: ' orders api ' } });
    expect(wished.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { name: expect.stringMatching(/^orders-api-[0-9a-f]{8}$/), protocolMappers: [{ name: NAME }] },
    });
  });

  it('reuses a scope that holds exactly the custom audience mapper: only the attaches', () => {
    const existing = scope(NAME, [customMapper(ORDERS)]);
    const snapshot = realm([caller('web')], [existing]);
    const result = cross(snapshot, ['web']);
    expect(result.steps.map((step) => step.write)).toEqual([
      {
        kind: 'attach-default-scope',
        client: { id: 'uuid-web', clientId: 'web' },
        scope: { id: `scope-${NAME}`, name: NAME },
      },
    ]);
    expect(statusOf(simulate(snapshot, result), 'web')).toBe('met');
  });

  it.each([
    ['adds another value', scope(NAME, [customMapper('https://billing.example.com')])],
    ['also has an Included Client Audience', scope(NAME, [customMapper(ORDERS, { 'included.client.audience': '' })])],
    ['has the access token flag off', scope(NAME, [customMapper(ORDERS, { 'access.token.claim': 'false' })])],
    ['holds a second mapper', scope(NAME, [customMapper(ORDERS), { ...customMapper(ORDERS), id: 'm2' }])],
    ['shows on the consent screen', scope(NAME, [customMapper(ORDERS)], { attributes: {} })],
  ])('does not reuse a same-named scope that %s: it takes "-2"', (_, existing) => {
    const snapshot = realm([caller('web')], [existing]);
    const result = cross(snapshot, ['web']);
    expect(result.steps.map((step) => step.write.kind)).toEqual(['create-scope', 'attach-default-scope']);
    expect(result.steps[0]?.write).toMatchObject({ scope: { name: `${NAME}-2` } });
    expect(statusOf(simulate(snapshot, result), 'web')).toBe('met');
  });

  it('never reuses a client audience scope of the same name, nor the other way round', () => {
    const clientScope = scope(NAME, [
      {
        ...customMapper(ORDERS),
        config: { 'included.client.audience': 'orders.example.com', 'access.token.claim': 'true' },
      },
    ]);
    const snapshot = realm([caller('web')], [clientScope]);
    expect(cross(snapshot, ['web']).steps[0]?.write).toMatchObject({ scope: { name: `${NAME}-2` } });
    const api = client('orders.example.com', { bearerOnly: true });
    const customScope = scope('orders.example.com-audience', [customMapper('orders.example.com')]);
    const other = realm([api, caller('web')], [customScope]);
    const forClient = cross(other, ['web'], { customAudience: undefined, audienceClientId: 'orders.example.com' });
    expect(forClient.steps[0]?.write).toMatchObject({ scope: { name: 'orders.example.com-audience-2' } });
  });

  it('moves the scope from optional to default, and skips a caller that carries the value already', () => {
    const existing = scope(NAME, [customMapper(ORDERS)]);
    const snapshot = realm(
      [caller('web', { optionalClientScopes: [NAME] }), caller('done', { defaultClientScopes: [NAME] })],
      [existing],
    );
    expect(audienceHolders(snapshot, ORDERS)).toEqual([
      { clientId: 'web', applies: 'optional' },
      { clientId: 'done', applies: 'always' },
    ]);
    const result = cross(snapshot, ['web', 'done']);
    expect(result.steps.map((step) => step.write.kind)).toEqual(['detach-optional-scope', 'attach-default-scope']);
    expect(result.fixes).toEqual(['web']);
    expect(result.skipped).toEqual([
      { clientId: 'done', code: 'already-ok', reason: `Its access tokens already carry "${ORDERS}".` },
    ]);
  });

  it('gives the mapper lightweight.claim when a caller uses lightweight tokens', () => {
    const snapshot = realm([
      caller('web'),
      caller('light', { attributes: { ...LIGHTWEIGHT, [REQUIRES]: `["${ORDERS}"]` } }),
    ]);
    const result = cross(snapshot, ['web', 'light']);
    expect(result.steps[0]?.write).toMatchObject({
      scope: { protocolMappers: [{ config: { 'included.custom.audience': ORDERS, 'lightweight.claim': 'true' } }] },
    });
    expect(statusOf(simulate(snapshot, result), 'light')).toBe('met');
  });

  describe('refuses a value that is no custom audience, and writes nothing', () => {
    const snapshot = realm([client('orders-api', { bearerOnly: true }), caller('web'), caller('mobile')]);
    it.each([
      ['empty', '', 'No custom audience given'],
      ['white space', '   ', 'No custom audience given'],
      ['padded', ` ${ORDERS}`, `The custom audience " ${ORDERS}" starts or ends with white space`],
      ['a clientId', 'orders-api', '"orders-api" is the clientId of a client of the realm'],
    ])('%s', (_, customAudience, reason) => {
      const result = cross(snapshot, ['web', 'mobile'], { customAudience });
      expect(result.steps).toEqual([]);
      expect(result.fixes).toEqual([]);
      expect(result.crossAcceptance).toEqual([]);
      expect(result.skipped).toHaveLength(2);
      for (const item of result.skipped) {
        expect(item.code).toBe('bad-custom-audience');
        expect(item.reason).toContain(reason);
      }
    });

    it('both an API client and a custom audience', () => {
      const result = cross(snapshot, ['web'], { audienceClientId: 'orders-api' });
      expect(result.steps).toEqual([]);
      expect(result.skipped).toMatchObject([
        { code: 'bad-custom-audience', reason: expect.stringContaining('not both') },
      ]);
    });
  });

  it('keeps the description within 255 characters for a long value', () => {
    const long = `https://${'x'.repeat(200)}.example.com`;
    expect(customAudienceScopeDescription(long, ['web'], 'r1')).toBe(
      'Audience scope of a custom audience. Created by Audience Doctor for client "web" (run r1)',
    );
    expect(customAudienceScopeDescription(long, ['w'.repeat(250)], 'r1')).toBe(
      'Audience scope of a custom audience. Created by Audience Doctor for 1 client (run r1)',
    );
  });

  it('renders as sentences, REST calls and a kcadm script that carry the value', () => {
    const snapshot = realm([caller('web')]);
    const result = cross(snapshot, ['web']);
    expect(describePlan(result).map((line) => [line.text, line.undo])).toEqual([
      [
        `Create client scope "${NAME}" with Audience mapper "${NAME}" (adds ${ORDERS} to access tokens)`,
        `Delete client scope "${NAME}"`,
      ],
      [
        `Attach client scope "${NAME}" to "web" as a default scope, so its access tokens carry ${ORDERS}`,
        `Remove the default link of scope "${NAME}" from "web"`,
      ],
    ]);
    const calls = restCalls(result, 'http://localhost:8080');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: 'http://localhost:8080/admin/realms/demo/client-scopes',
      body: { protocolMappers: [{ config: { 'included.custom.audience': ORDERS } }] },
    });
    const script = kcadmScript(result);
    expect(script).toContain('SCOPE_1=$(kc create client-scopes -i -b \'{"name":"orders.example.com-audience"');
    expect(script).toContain('kc update "clients/$CLIENT_1/default-client-scopes/$SCOPE_1"');
    expect(script).toContain('"included.custom.audience":"https://orders.example.com"');
  });

  it('survives a plan file and a journal, and old ones without the field still read', () => {
    const snapshot = realm([caller('web')]);
    const result = cross(snapshot, ['web']);
    const file = buildPlanFile(result, { keycloakUrl: 'https://kc.example.com', crossTrustAccepted: false });
    const parsed = parsePlanFile(JSON.parse(planFileText(file)));
    if (!('planFile' in parsed)) throw new Error(parsed.problem);
    expect(planOf(parsed.planFile)).toEqual(result);
    const other = { ...file, audience: 'https://other.example.com' };
    expect(parsePlanFile(JSON.parse(JSON.stringify(other)))).toEqual({
      problem: 'Not a valid plan file: the audience differs from the one the request asks for.',
    });
    const journal = {
      runId: 'run-1',
      keycloakUrl: 'https://kc.example.com',
      realm: 'demo',
      strategy: 'cross-client',
      fixes: ['web'],
      startedAt: 'now',
      updatedAt: 'now',
      state: 'applied',
      request: result.request,
      steps: result.steps.map((step, index) => ({ ...step, index, status: 'written' })),
    };
    const read = parseJournal(JSON.parse(JSON.stringify(journal)));
    if (!('journal' in read)) throw new Error(read.problem);
    expect(read.journal.request.options.customAudience).toBe(ORDERS);
  });
});
