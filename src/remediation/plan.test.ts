import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { Verdict } from '../audit/findings.ts';
import type { ClientPoliciesSnapshot, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../audit/snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from '../audit/test-fixtures.ts';
import { shortHash, validScopeName } from './names.ts';
import { audienceScopeDescription, provenance, SCOPE_ATTRIBUTES } from './new-objects.ts';
import { planFix, suggestedStrategy } from './plan.ts';
import { audienceHolders, predictedAfter, predictedHolders } from './predict.ts';
import { simulate } from './simulate.ts';
import { planRealmFixture, scopeFixture } from './test-fixtures.ts';
import { type ClientTarget, type Plan, type PlanOptions, STRATEGIES, type Strategy } from './types.ts';

const RUN = 'run-1';
const LIGHTWEIGHT = { 'client.use.lightweight.access.token.enabled': 'true' };

const lightweightPolicy: ClientPoliciesSnapshot = {
  profiles: [{ name: 'light', executors: [{ executor: 'use-lightweight-access-token' }] }],
  policies: [
    {
      name: 'confidential-light',
      enabled: true,
      conditions: [{ condition: 'client-access-type', configuration: { type: ['confidential'] } }],
      profiles: ['light'],
    },
  ],
};

const client = clientRepFixture;
const target = (clientId: string): ClientTarget => ({ id: `uuid-${clientId}`, clientId });

/** The config every planned Audience mapper carries. */
const mapperConfig = (clientId: string, lightweight = false) => ({
  'included.client.audience': clientId,
  'access.token.claim': 'true',
  'introspection.token.claim': 'true',
  'id.token.claim': 'false',
  'lightweight.claim': lightweight ? 'true' : 'false',
});

/** A mapper exactly as the plan would create it, as the Admin API returns it. */
const plannedMapper = (clientId: string, lightweight = false, name = `${clientId}-audience`): ProtocolMapperRep => ({
  id: `mapper-${name}`,
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: mapperConfig(clientId, lightweight),
});

const scope = scopeFixture;
const realm = planRealmFixture;

function plan(snapshot: RealmSnapshot, clientIds: string[], options: Partial<PlanOptions> & { strategy: Strategy }) {
  return planFix(snapshot, auditRealm(snapshot), clientIds, { runId: RUN, ...options });
}

const verdicts = (snapshot: RealmSnapshot): Record<string, Verdict> =>
  Object.fromEntries(auditRealm(snapshot).clients.map((item) => [item.clientId, item.verdict]));

/** The engine, run on the realm as the plan leaves it, finds every fixed client ok. */
function expectFixed(snapshot: RealmSnapshot, result: Plan, clientIds: string[]) {
  expect(result.fixes).toEqual(clientIds);
  const after = predictedAfter(snapshot, result);
  expect([...after.keys()].sort()).toEqual([...clientIds].sort());
  for (const clientId of clientIds) {
    expect({ clientId, verdict: after.get(clientId)?.verdict, reason: after.get(clientId)?.reason }).toMatchObject({
      clientId,
      verdict: 'ok',
    });
  }
}

const kinds = (result: Plan) => result.steps.map((step) => step.write.kind);

describe('dedicated mapper', () => {
  it('one create-client-mapper write with the exact mapper, undone by deleting it', () => {
    const snapshot = realm([client('app'), client('other')]);
    expect(verdicts(snapshot).app).toBe('missing');
    const result = plan(snapshot, ['app'], { strategy: 'dedicated-mapper' });
    expect(result).toEqual({
      realm: 'demo',
      runId: RUN,
      strategy: 'dedicated-mapper',
      request: { clientIds: ['app'], options: { strategy: 'dedicated-mapper', runId: RUN } },
      steps: [
        {
          write: {
            kind: 'create-client-mapper',
            client: target('app'),
            mapper: {
              name: 'app-audience',
              protocol: 'openid-connect',
              protocolMapper: 'oidc-audience-mapper',
              config: mapperConfig('app'),
            },
          },
          undo: { kind: 'delete-client-mapper', client: target('app'), mapperName: 'app-audience' },
          clientIds: ['app'],
        },
      ],
      fixes: ['app'],
      skipped: [],
      notes: [],
      crossAcceptance: [],
      requiresConsent: false,
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('one write per client, each for its own clientId', () => {
    const snapshot = realm([client('a'), client('b')]);
    const result = plan(snapshot, ['a', 'b'], { strategy: 'dedicated-mapper' });
    expect(result.steps.map((step) => [step.write.kind, step.clientIds])).toEqual([
      ['create-client-mapper', ['a']],
      ['create-client-mapper', ['b']],
    ]);
    expectFixed(snapshot, result, ['a', 'b']);
  });

  it('turns lightweight.claim on for a lightweight client', () => {
    const snapshot = realm([client('app', { attributes: LIGHTWEIGHT })]);
    const result = plan(snapshot, ['app'], { strategy: 'dedicated-mapper' });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-client-mapper',
      mapper: { name: 'app-audience', config: mapperConfig('app', true) },
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('turns lightweight.claim on for a client a lightweight client policy may switch', () => {
    const snapshot = realm([client('app'), client('spa', { publicClient: true })], { policies: lightweightPolicy });
    const result = plan(snapshot, ['app', 'spa'], { strategy: 'dedicated-mapper' });
    expect(result.steps.map((step) => step.write)).toMatchObject([
      { kind: 'create-client-mapper', mapper: { config: mapperConfig('app', true) } },
      // The policy's condition cannot hold for a public client.
      { kind: 'create-client-mapper', mapper: { config: mapperConfig('spa', false) } },
    ]);
    expectFixed(snapshot, result, ['app', 'spa']);
  });

  it('picks a numbered name when the client already has a mapper of that name', () => {
    const other = (name: string): ProtocolMapperRep => ({
      id: `mapper-${name}`,
      name,
      protocol: 'openid-connect',
      protocolMapper: 'oidc-hardcoded-claim-mapper',
      config: { 'claim.name': 'team', 'claim.value': 'x', 'access.token.claim': 'true' },
    });
    const once = realm([client('app', { protocolMappers: [other('app-audience')] })]);
    const first = plan(once, ['app'], { strategy: 'dedicated-mapper' });
    expect(first.steps).toEqual([
      {
        write: expect.objectContaining({ mapper: expect.objectContaining({ name: 'app-audience-2' }) }),
        undo: { kind: 'delete-client-mapper', client: target('app'), mapperName: 'app-audience-2' },
        clientIds: ['app'],
      },
    ]);
    expectFixed(once, first, ['app']);

    const twice = realm([client('app', { protocolMappers: [other('app-audience'), other('app-audience-2')] })]);
    const second = plan(twice, ['app'], { strategy: 'dedicated-mapper' });
    expect(second.steps[0]?.undo).toEqual({
      kind: 'delete-client-mapper',
      client: target('app'),
      mapperName: 'app-audience-3',
    });
    expectFixed(twice, second, ['app']);
  });
});

describe('per-client scope', () => {
  it('creates the scope with its mapper inline, then attaches it as a default scope', () => {
    const snapshot = realm([client('app')]);
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(result.steps).toEqual([
      {
        write: {
          kind: 'create-scope',
          scope: {
            name: 'app-audience',
            description: 'Created by Audience Doctor for client "app" (run run-1)',
            protocol: 'openid-connect',
            attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
            protocolMappers: [
              {
                name: 'app-audience',
                protocol: 'openid-connect',
                protocolMapper: 'oidc-audience-mapper',
                config: mapperConfig('app'),
              },
            ],
          },
        },
        undo: { kind: 'delete-scope', scope: { name: 'app-audience' } },
        clientIds: ['app'],
      },
      {
        write: { kind: 'attach-default-scope', client: target('app'), scope: { name: 'app-audience' } },
        undo: { kind: 'detach-default-scope', client: target('app'), scope: { name: 'app-audience' } },
        clientIds: ['app'],
      },
    ]);
    expect(result.notes).toEqual([]);
    expectFixed(snapshot, result, ['app']);
  });

  it('gives a lightweight client, or one a policy may switch, a mapper with lightweight.claim on', () => {
    const snapshot = realm([client('light', { attributes: LIGHTWEIGHT }), client('app')], {
      policies: lightweightPolicy,
    });
    const result = plan(snapshot, ['light', 'app'], { strategy: 'client-scope' });
    expect(result.steps.filter((step) => step.write.kind === 'create-scope').map((step) => step.write)).toMatchObject([
      { scope: { name: 'light-audience', protocolMappers: [{ config: mapperConfig('light', true) }] } },
      { scope: { name: 'app-audience', protocolMappers: [{ config: mapperConfig('app', true) }] } },
    ]);
    expectFixed(snapshot, result, ['light', 'app']);
  });

  it('uses the wished scope name, trimmed', () => {
    const snapshot = realm([client('app'), client('web')]);
    const result = plan(snapshot, ['app', 'web'], {
      strategy: 'client-scope',
      scopeNames: { app: '  payments-aud ', web: '   ' },
    });
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope', 'create-scope', 'attach-default-scope']);
    expect(result.steps.map((step) => ('scope' in step.write ? step.write.scope.name : undefined))).toEqual([
      'payments-aud',
      'payments-aud',
      'web-audience',
      'web-audience',
    ]);
    expectFixed(snapshot, result, ['app', 'web']);
  });

  it.each([
    ['a space', 'my scope', 'my-scope-acf0f817'],
    ['quotes', 'say "hi"', `say--hi--${shortHash('say "hi"')}`],
    ['a backslash', 'back\\slash', `back-slash-${shortHash('back\\slash')}`],
    ['unicode', 'größe', 'gr--e-26030442'],
    ['300 characters', 's'.repeat(300), `${'s'.repeat(231)}-${shortHash('s'.repeat(300))}`],
  ])('makes a wished name with %s valid', (_, wish, expected) => {
    const snapshot = realm([client('app')]);
    const result = plan(snapshot, ['app'], { strategy: 'client-scope', scopeNames: { app: wish } });
    expect(result.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: expected } });
    expect(result.steps[1]?.write).toEqual({
      kind: 'attach-default-scope',
      client: target('app'),
      scope: { name: expected },
    });
    expect(expected.length).toBeLessThanOrEqual(240);
    expectFixed(snapshot, result, ['app']);
  });

  it('never gives two wishes in one plan the same name', () => {
    const snapshot = realm([client('a'), client('b'), client('c'), client('d')]);
    const result = plan(snapshot, ['a', 'b', 'c', 'd'], {
      strategy: 'client-scope',
      scopeNames: { a: 'x y', b: 'x"y', c: 'team', d: 'team' },
    });
    const created = result.steps.flatMap((step) => (step.write.kind === 'create-scope' ? [step.write.scope.name] : []));
    expect(created).toEqual([`x-y-${shortHash('x y')}`, `x-y-${shortHash('x"y')}`, 'team', 'team-2']);
    expect(new Set(created).size).toBe(4);
    expectFixed(snapshot, result, ['a', 'b', 'c', 'd']);
  });

  it('reuses an existing scope that is exactly what it would create: only the attach', () => {
    const existing = scope('app-audience', [plannedMapper('app')]);
    const snapshot = realm([client('app')], { scopes: [existing] });
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(result.steps).toEqual([
      {
        write: {
          kind: 'attach-default-scope',
          client: target('app'),
          scope: { id: 'scope-app-audience', name: 'app-audience' },
        },
        undo: {
          kind: 'detach-default-scope',
          client: target('app'),
          scope: { id: 'scope-app-audience', name: 'app-audience' },
        },
        clientIds: ['app'],
      },
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  it('reuses a scope that carries extra attributes and mapper settings beside the expected ones', () => {
    const mapper = plannedMapper('app');
    mapper.config = { ...mapper.config, 'userinfo.token.claim': 'false' };
    const existing = scope('app-audience', [mapper], {
      attributes: { ...SCOPE_ATTRIBUTES, 'gui.order': '3' },
    });
    const snapshot = realm([client('app')], { scopes: [existing] });
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(kinds(result)).toEqual(['attach-default-scope']);
    expectFixed(snapshot, result, ['app']);
  });

  it('moves an identical scope attached as optional: detach-optional first, then attach-default', () => {
    const existing = scope('app-audience', [plannedMapper('app')]);
    const snapshot = realm([client('app', { optionalClientScopes: ['app-audience'] })], { scopes: [existing] });
    expect(verdicts(snapshot).app).toBe('conditional');
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    const ref = { id: 'scope-app-audience', name: 'app-audience' };
    expect(result.steps).toEqual([
      {
        write: { kind: 'detach-optional-scope', client: target('app'), scope: ref },
        undo: { kind: 'attach-optional-scope', client: target('app'), scope: ref },
        clientIds: ['app'],
      },
      {
        write: { kind: 'attach-default-scope', client: target('app'), scope: ref },
        undo: { kind: 'detach-default-scope', client: target('app'), scope: ref },
        clientIds: ['app'],
      },
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  const known = { 'scope-app-audience': false };
  const notReusable: [string, ClientScopeRep, Record<string, boolean>][] = [
    ['holds another mapper too', scope('app-audience', [plannedMapper('app'), plannedMapper('web')]), known],
    ['has role scope mappings', scope('app-audience', [plannedMapper('app')]), { 'scope-app-audience': true }],
    ['has role scope mappings nobody checked', scope('app-audience', [plannedMapper('app')]), {}],
    [
      'shows on the consent screen',
      scope('app-audience', [plannedMapper('app')], { attributes: { 'include.in.token.scope': 'false' } }),
      known,
    ],
    [
      'puts its name into the scope claim',
      scope('app-audience', [plannedMapper('app')], {
        attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
      }),
      known,
    ],
    ['adds a different audience', scope('app-audience', [plannedMapper('web')]), known],
    [
      'also names a custom audience',
      scope('app-audience', [
        { ...plannedMapper('app'), config: { ...mapperConfig('app'), 'included.custom.audience': 'elsewhere' } },
      ]),
      known,
    ],
    [
      'has the access token flag off',
      scope('app-audience', [
        { ...plannedMapper('app'), config: { ...mapperConfig('app'), 'access.token.claim': 'false' } },
      ]),
      known,
    ],
    ['has no mapper', scope('app-audience', []), known],
    ['is a SAML scope', scope('app-audience', [plannedMapper('app')], { protocol: 'saml' }), known],
    [
      'holds a mapper of another type',
      scope('app-audience', [{ ...plannedMapper('app'), protocolMapper: 'oidc-hardcoded-claim-mapper' }]),
      known,
    ],
    [
      'holds a mapper of another protocol',
      scope('app-audience', [{ ...plannedMapper('app'), protocol: 'saml' }]),
      known,
    ],
  ];

  it.each(notReusable)('does not reuse a same-named scope that %s: it takes "-2"', (_, existing, restrictions) => {
    const snapshot = realm([client('app'), client('web')], { scopes: [existing] });
    snapshot.scopeRoleRestrictions = restrictions;
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { name: 'app-audience-2', protocolMappers: [{ name: 'app-audience', config: mapperConfig('app') }] },
    });
    expect(result.steps[1]?.write).toEqual({
      kind: 'attach-default-scope',
      client: target('app'),
      scope: { name: 'app-audience-2' },
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('does not reuse a scope whose lightweight flag does not match the client', () => {
    const existing = scope('app-audience', [plannedMapper('app', false)]);
    const snapshot = realm([client('app', { attributes: LIGHTWEIGHT })], { scopes: [existing] });
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(result.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'app-audience-2' } });
    expectFixed(snapshot, result, ['app']);
  });

  it('skips every taken name: "-2" taken too gives "-3"', () => {
    const taken = [scope('app-audience', []), scope('app-audience-2', [plannedMapper('web')])];
    const snapshot = realm([client('app'), client('web')], { scopes: taken });
    const result = plan(snapshot, ['app'], { strategy: 'client-scope' });
    expect(result.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'app-audience-3' } });
    expectFixed(snapshot, result, ['app']);
  });
});

describe('shared scope', () => {
  it('one scope with one mapper per client, attached to each; every client accepts the others', () => {
    const snapshot = realm([
      client('a'),
      client('b'),
      client('c', { attributes: LIGHTWEIGHT }),
      client('done', { protocolMappers: [audienceMapperFixture('done')] }),
    ]);
    const result = plan(snapshot, ['a', 'done', 'b', 'c'], { strategy: 'shared-scope' });
    expect(result.steps).toEqual([
      {
        write: {
          kind: 'create-scope',
          scope: {
            name: 'shared-audience',
            description: 'Created by Audience Doctor for clients "a", "b", "c" (run run-1)',
            protocol: 'openid-connect',
            attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
            protocolMappers: ['a', 'b', 'c'].map((clientId) => ({
              name: `${clientId}-audience`,
              protocol: 'openid-connect',
              protocolMapper: 'oidc-audience-mapper',
              config: mapperConfig(clientId, clientId === 'c'),
            })),
          },
        },
        undo: { kind: 'delete-scope', scope: { name: 'shared-audience' } },
        clientIds: ['a', 'b', 'c'],
      },
      ...['a', 'b', 'c'].map((clientId) => ({
        write: { kind: 'attach-default-scope', client: target(clientId), scope: { name: 'shared-audience' } },
        undo: { kind: 'detach-default-scope', client: target(clientId), scope: { name: 'shared-audience' } },
        clientIds: [clientId],
      })),
    ]);
    expect(result.skipped).toMatchObject([
      { clientId: 'done', reason: 'Its access tokens already carry its clientId.' },
    ]);
    expect(result.crossAcceptance).toEqual([
      { clientId: 'a', accepts: ['b', 'c'] },
      { clientId: 'b', accepts: ['a', 'c'] },
      { clientId: 'c', accepts: ['a', 'b'] },
    ]);
    expect(result.requiresConsent).toBe(true);
    expectFixed(snapshot, result, ['a', 'b', 'c']);
  });

  it('uses the wished name, made valid and free', () => {
    const snapshot = realm([client('a'), client('b')], { scopes: [scope('team-aud', [])] });
    const result = plan(snapshot, ['a', 'b'], { strategy: 'shared-scope', sharedScopeName: ' team-aud ' });
    expect(result.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'team-aud-2' } });
    expect(result.steps.slice(1).map((step) => step.write)).toMatchObject([
      { kind: 'attach-default-scope', scope: { name: 'team-aud-2' } },
      { kind: 'attach-default-scope', scope: { name: 'team-aud-2' } },
    ]);
    expectFixed(snapshot, result, ['a', 'b']);

    const spaced = plan(snapshot, ['a', 'b'], { strategy: 'shared-scope', sharedScopeName: 'our team' });
    expect(spaced.steps[0]?.write).toMatchObject({ scope: { name: validScopeName('our team') } });
    expect(validScopeName('our team')).toBe(`our-team-${shortHash('our team')}`);
  });

  it('does not reuse even an identical existing scope: another client could be using it', () => {
    const existing = scope('shared-audience', [plannedMapper('a')]);
    const snapshot = realm([client('a')], { scopes: [existing] });
    const result = plan(snapshot, ['a'], { strategy: 'shared-scope' });
    expect(result.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'shared-audience-2' } });
    expectFixed(snapshot, result, ['a']);
  });

  it('needs no consent for a single client', () => {
    const snapshot = realm([client('a'), client('b', { protocolMappers: [audienceMapperFixture('b')] })]);
    const result = plan(snapshot, ['a', 'b'], { strategy: 'shared-scope' });
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
    expect(result.crossAcceptance).toEqual([]);
    expect(result.requiresConsent).toBe(false);
    expectFixed(snapshot, result, ['a']);
  });

  it('writes nothing when no client needs it', () => {
    const snapshot = realm([client('b', { protocolMappers: [audienceMapperFixture('b')] })]);
    const result = plan(snapshot, ['b'], { strategy: 'shared-scope' });
    expect(result.steps).toEqual([]);
    expect(result.fixes).toEqual([]);
    expect(result.requiresConsent).toBe(false);
  });

  it('repairs a client with a broken fix instead of adding it to the scope', () => {
    const broken = audienceMapperFixture('b', { 'access.token.claim': 'false' }, 'b self');
    const snapshot = realm([client('a'), client('b', { protocolMappers: [broken] }), client('c')]);
    const result = plan(snapshot, ['a', 'b', 'c'], { strategy: 'shared-scope' });
    expect(kinds(result)).toEqual([
      'update-client-mapper',
      'create-scope',
      'attach-default-scope',
      'attach-default-scope',
    ]);
    expect(result.crossAcceptance).toEqual([
      { clientId: 'a', accepts: ['c'] },
      { clientId: 'c', accepts: ['a'] },
    ]);
    expect(result.steps[1]?.write).toMatchObject({ scope: { description: expect.stringContaining('"a", "c"') } });
    expectFixed(snapshot, result, ['a', 'b', 'c']);
  });
});

describe('repair', () => {
  it('turns the access token flag on in a dedicated mapper; the undo puts the old mapper back', () => {
    const broken = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
    const snapshot = realm([client('app', { protocolMappers: [broken] })]);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    const stored = { ...broken, id: 'mapper-app self', name: 'app self' };
    const repaired = { ...stored, config: { 'included.client.audience': 'app', 'access.token.claim': 'true' } };
    expect(result.steps).toEqual([
      {
        write: { kind: 'update-client-mapper', client: target('app'), mapper: repaired, replaces: stored },
        undo: { kind: 'update-client-mapper', client: target('app'), mapper: stored, replaces: repaired },
        clientIds: ['app'],
      },
    ]);
    expect(result.notes).toEqual([]);
    expect(result.skipped).toMatchObject([]);
    expectFixed(snapshot, result, ['app']);
  });

  it('adds an access token flag that is missing altogether', () => {
    const broken = audienceMapperFixture('app', {}, 'app self');
    broken.config = { 'included.client.audience': 'app', 'id.token.claim': 'true' };
    const snapshot = realm([client('app', { protocolMappers: [broken] })]);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'update-client-mapper',
      mapper: {
        config: { 'included.client.audience': 'app', 'id.token.claim': 'true', 'access.token.claim': 'true' },
      },
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('replaces the internal id of the client by its clientId', () => {
    const broken = audienceMapperFixture('uuid-app', {}, 'app self');
    const snapshot = realm([client('app', { protocolMappers: [broken] })]);
    expect(auditRealm(snapshot).clients[0]?.problems.map((problem) => problem.code)).toEqual(['uuid-value']);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    const stored = { ...broken, id: 'mapper-app self', name: 'app self' };
    const repaired = { ...stored, config: { 'included.client.audience': 'app', 'access.token.claim': 'true' } };
    expect(result.steps).toEqual([
      {
        write: { kind: 'update-client-mapper', client: target('app'), mapper: repaired, replaces: stored },
        undo: { kind: 'update-client-mapper', client: target('app'), mapper: stored, replaces: repaired },
        clientIds: ['app'],
      },
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  it('does not touch a mapper holding the internal id of another client', () => {
    const snapshot = realm([client('app', { protocolMappers: [audienceMapperFixture('uuid-api')] }), client('api')]);
    const repair = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(repair.steps).toEqual([]);
    expect(repair.skipped).toMatchObject([
      { clientId: 'app', reason: 'It has no broken Audience mapper to repair: choose another way to fix it.' },
    ]);
    const dedicated = plan(snapshot, ['app'], { strategy: 'dedicated-mapper' });
    expect(kinds(dedicated)).toEqual(['create-client-mapper']);
    expectFixed(snapshot, dedicated, ['app']);
  });

  it('attaches an optional scope that holds the fix as a default one, without updating its mapper', () => {
    const fix = scope('app-fix', [audienceMapperFixture('app')]);
    const snapshot = realm([client('app', { optionalClientScopes: ['app-fix'] })], { scopes: [fix] });
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    const ref = { id: 'scope-app-fix', name: 'app-fix' };
    expect(result.steps).toEqual([
      {
        write: { kind: 'detach-optional-scope', client: target('app'), scope: ref },
        undo: { kind: 'attach-optional-scope', client: target('app'), scope: ref },
        clientIds: ['app'],
      },
      {
        write: { kind: 'attach-default-scope', client: target('app'), scope: ref },
        undo: { kind: 'detach-default-scope', client: target('app'), scope: ref },
        clientIds: ['app'],
      },
    ]);
    expect(result.notes).toEqual([]);
    expectFixed(snapshot, result, ['app']);
  });

  it('updates and relinks a switched-off mapper in an optional scope', () => {
    const fix = scope('app-fix', [audienceMapperFixture('app', { 'access.token.claim': 'false' })]);
    const snapshot = realm([client('app', { optionalClientScopes: ['app-fix'] })], { scopes: [fix] });
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(kinds(result)).toEqual(['update-scope-mapper', 'detach-optional-scope', 'attach-default-scope']);
    expectFixed(snapshot, result, ['app']);
  });

  it('turns lightweight.claim on for a lightweight client', () => {
    const broken = audienceMapperFixture('app', {}, 'app self');
    const snapshot = realm([client('app', { attributes: LIGHTWEIGHT, protocolMappers: [broken] })]);
    expect(auditRealm(snapshot).clients[0]?.problems.map((problem) => problem.code)).toEqual([
      'lightweight-flag-missing',
    ]);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(result.steps.map((step) => step.write)).toEqual([
      expect.objectContaining({
        kind: 'update-client-mapper',
        mapper: expect.objectContaining({
          config: { 'included.client.audience': 'app', 'access.token.claim': 'true', 'lightweight.claim': 'true' },
        }),
      }),
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  it('turns lightweight.claim on for a lightweight client whose mapper is off altogether', () => {
    const broken = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
    const snapshot = realm([client('app', { attributes: LIGHTWEIGHT, protocolMappers: [broken] })]);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'update-client-mapper',
      mapper: {
        config: { 'included.client.audience': 'app', 'access.token.claim': 'false', 'lightweight.claim': 'true' },
      },
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('turns lightweight.claim on when a client policy switches the client to lightweight tokens', () => {
    const working = audienceMapperFixture('app', {}, 'app self');
    const snapshot = realm([client('app', { protocolMappers: [working] })], { policies: lightweightPolicy });
    // The policy applies to every token request of a confidential client: the mapper adds nothing.
    expect(verdicts(snapshot).app).toBe('missing');
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    const stored = { ...working, id: 'mapper-app self', name: 'app self' };
    const repaired = {
      ...stored,
      config: { 'included.client.audience': 'app', 'access.token.claim': 'true', 'lightweight.claim': 'true' },
    };
    expect(result.steps).toEqual([
      {
        write: { kind: 'update-client-mapper', client: target('app'), mapper: repaired, replaces: stored },
        undo: { kind: 'update-client-mapper', client: target('app'), mapper: stored, replaces: repaired },
        clientIds: ['app'],
      },
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  it('turns lightweight.claim on too when repairing a switched-off mapper of a client a policy may switch', () => {
    const broken = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
    const snapshot = realm([client('app', { protocolMappers: [broken] })], { policies: lightweightPolicy });
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'update-client-mapper',
      mapper: {
        config: { 'included.client.audience': 'app', 'access.token.claim': 'true', 'lightweight.claim': 'true' },
      },
    });
    expectFixed(snapshot, result, ['app']);
  });

  it('notes that a repaired scope is attached to other clients too', () => {
    const mapper = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
    const shared = scope('audiences', [mapper]);
    const snapshot = realm(
      [
        client('app', { defaultClientScopes: ['audiences'] }),
        client('web', { defaultClientScopes: ['audiences'] }),
        client('job', { optionalClientScopes: ['audiences'] }),
        client('alone'),
      ],
      { scopes: [shared] },
    );
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    const ref = { id: 'scope-audiences', name: 'audiences' };
    const stored = { ...mapper, id: 'mapper-app self', name: 'app self' };
    const repaired = { ...stored, config: { 'included.client.audience': 'app', 'access.token.claim': 'true' } };
    expect(result.steps).toEqual([
      {
        write: { kind: 'update-scope-mapper', scope: ref, mapper: repaired, replaces: stored },
        undo: { kind: 'update-scope-mapper', scope: ref, mapper: stored, replaces: repaired },
        clientIds: ['app'],
      },
    ]);
    expect(result.notes).toEqual([
      'Client scope "audiences" is also attached to "web", "job": the repaired mapper applies to their tokens too.',
    ]);
    expectFixed(snapshot, result, ['app']);
  });

  it('gives no note when a scope other clients use is only relinked for this client, its mapper untouched', () => {
    const shared = scope('audiences', [audienceMapperFixture('app')]);
    const snapshot = realm(
      [client('app', { optionalClientScopes: ['audiences'] }), client('web', { defaultClientScopes: ['audiences'] })],
      { scopes: [shared] },
    );
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(kinds(result)).toEqual(['detach-optional-scope', 'attach-default-scope']);
    expect(result.notes).toEqual([]);
    expectFixed(snapshot, result, ['app']);
  });

  it('gives no note for a repaired scope that only this client uses', () => {
    const mapper = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
    const snapshot = realm([client('app', { defaultClientScopes: ['mine'] }), client('web')], {
      scopes: [scope('mine', [mapper])],
    });
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(kinds(result)).toEqual(['update-scope-mapper']);
    expect(result.notes).toEqual([]);
    expectFixed(snapshot, result, ['app']);
  });

  it.each([['dedicated-mapper'], ['client-scope'], ['shared-scope']] as [Strategy][])(
    'repairs instead of adding a second mapper when %s is chosen, and says so',
    (strategy) => {
      const broken = audienceMapperFixture('app', { 'access.token.claim': 'false' }, 'app self');
      const snapshot = realm([client('app', { protocolMappers: [broken] })]);
      const result = plan(snapshot, ['app'], { strategy });
      expect(kinds(result)).toEqual(['update-client-mapper']);
      expect(result.notes).toEqual([
        '"app" already has an Audience mapper for itself that does not work ("app self"): it is repaired instead of adding a second one.',
      ]);
      expectFixed(snapshot, result, ['app']);
      expect(simulate(snapshot, result).clients[0]?.protocolMappers).toHaveLength(1);
    },
  );

  it('skips a client with nothing to repair, saying why', () => {
    const snapshot = realm([client('app')]);
    const result = plan(snapshot, ['app'], { strategy: 'repair' });
    expect(result.steps).toEqual([]);
    expect(result.fixes).toEqual([]);
    expect(result.skipped).toMatchObject([
      { clientId: 'app', reason: 'It has no broken Audience mapper to repair: choose another way to fix it.' },
    ]);
  });

  it('does not repair a fix in a scope with role scope mappings: another strategy adds one that always applies', () => {
    const fix = scope('app-fix', [audienceMapperFixture('app')]);
    const snapshot = realm([client('app', { defaultClientScopes: ['app-fix'] })], {
      scopes: [fix],
      restrictions: { 'scope-app-fix': true },
    });
    expect(verdicts(snapshot).app).toBe('conditional');
    expect(plan(snapshot, ['app'], { strategy: 'repair' }).skipped).toHaveLength(1);
    const result = plan(snapshot, ['app'], { strategy: 'dedicated-mapper' });
    expect(kinds(result)).toEqual(['create-client-mapper']);
    expectFixed(snapshot, result, ['app']);
  });
});

describe('skipping', () => {
  const script: ProtocolMapperRep = {
    id: 'mapper-script',
    name: 'script',
    protocol: 'openid-connect',
    protocolMapper: 'oidc-script-based-protocol-mapper',
    config: { 'access.token.claim': 'true' },
  };
  const snapshot = realm([
    client('done', { protocolMappers: [audienceMapperFixture('done')] }),
    client('api', { bearerOnly: true }),
    client('odd', { protocolMappers: [script] }),
    client('unseen', { defaultClientScopes: ['scope-the-account-cannot-read'] }),
  ]);
  const reasons: [string, unknown][] = [
    ['done', 'Its access tokens already carry its clientId.'],
    ['api', 'Not checked: a bearer-only client never gets tokens of its own.'],
    [
      'odd',
      'A mapper can rewrite aud in ways Audience Doctor cannot see, so it is not changed automatically. Cannot be predicted: "script" (oidc-script-based-protocol-mapper) in the client itself (Dedicated scope) can change aud.',
    ],
    ['ghost', 'There is no client "ghost" in the realm (deleted since the audit?).'],
    [
      'unseen',
      expect.stringMatching(
        /^It names client scopes your account cannot read, so it is not changed automatically\. \S/,
      ),
    ],
  ];

  it('the snapshot holds what the cases say', () => {
    expect(verdicts(snapshot)).toEqual({
      done: 'ok',
      api: 'not-applicable',
      odd: 'unpredictable',
      unseen: 'cannot-judge',
    });
  });

  it.each(
    (['dedicated-mapper', 'client-scope', 'shared-scope', 'repair'] as Strategy[]).flatMap((strategy) =>
      reasons.map(([clientId, reason]) => [strategy, clientId, reason] as const),
    ),
  )('%s skips "%s" with a reason and no steps', (strategy, clientId, reason) => {
    const result = plan(snapshot, [clientId], { strategy });
    expect(result.steps).toEqual([]);
    expect(result.fixes).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.skipped).toMatchObject([{ clientId, reason }]);
    expect(result.requiresConsent).toBe(false);
  });

  it('plans each client once, and keeps the request as asked', () => {
    const mixed = realm([...snapshot.clients, client('app')]);
    const result = plan(mixed, ['app', 'done', 'app', 'ghost'], { strategy: 'dedicated-mapper' });
    expect(kinds(result)).toEqual(['create-client-mapper']);
    expect(result.skipped.map((item) => item.clientId)).toEqual(['done', 'ghost']);
    expect(result.request.clientIds).toEqual(['app', 'done', 'app', 'ghost']);
    expectFixed(mixed, result, ['app']);
  });
});

describe('simulate and predictedAfter', () => {
  it('leaves the snapshot it is given untouched', () => {
    const broken = audienceMapperFixture('b', { 'access.token.claim': 'false' });
    const fix = scope('c-fix', [audienceMapperFixture('c')]);
    const snapshot = realm(
      [client('a'), client('b', { protocolMappers: [broken] }), client('c', { optionalClientScopes: ['c-fix'] })],
      { scopes: [fix] },
    );
    const before = structuredClone(snapshot);
    for (const strategy of ['dedicated-mapper', 'client-scope', 'shared-scope'] as Strategy[]) {
      const result = plan(snapshot, ['a', 'b', 'c'], { strategy });
      simulate(snapshot, result);
      expectFixed(snapshot, result, ['a', 'b', 'c']);
    }
    expect(snapshot).toEqual(before);
  });

  it('only reports the clients the plan fixes', () => {
    const snapshot = realm([client('a'), client('b')]);
    const result = plan(snapshot, ['a'], { strategy: 'dedicated-mapper' });
    expect([...predictedAfter(snapshot, result).keys()]).toEqual(['a']);
    expect(verdicts(simulate(snapshot, result))).toEqual({ a: 'ok', b: 'missing' });
  });

  it.each([['dedicated-mapper'], ['client-scope'], ['shared-scope']] as [Strategy][])(
    '%s fixes every kind of fixable client in one realm',
    (strategy) => {
      const snapshot = realm(
        [
          client('plain'),
          client('light', { attributes: LIGHTWEIGHT }),
          client('policed', { serviceAccountsEnabled: true }),
          client('spa', { publicClient: true }),
          client('odd name "x"'),
          client('off', { protocolMappers: [audienceMapperFixture('off', { 'access.token.claim': 'false' })] }),
          client('uuid', { protocolMappers: [audienceMapperFixture('uuid-uuid')] }),
          client('optional', { optionalClientScopes: ['optional-fix'] }),
          client('restricted', { defaultClientScopes: ['restricted-fix'] }),
        ],
        {
          scopes: [
            scope('optional-fix', [audienceMapperFixture('optional')]),
            scope('restricted-fix', [audienceMapperFixture('restricted')]),
          ],
          restrictions: { 'scope-restricted-fix': true },
          policies: lightweightPolicy,
        },
      );
      const ids = snapshot.clients.map((item) => item.clientId);
      const result = plan(snapshot, ids, { strategy });
      expect(result.skipped).toMatchObject([]);
      expectFixed(snapshot, result, ids);
    },
  );
});

describe('suggestedStrategy', () => {
  it('suggests repair when every chosen client has a broken fix of its own', () => {
    const broken = audienceMapperFixture('app', { 'access.token.claim': 'false' });
    const snapshot = realm([client('app', { protocolMappers: [broken] }), client('web')]);
    const audit = auditRealm(snapshot);
    expect(suggestedStrategy(snapshot, audit, ['app'])).toBe('repair');
    expect(suggestedStrategy(snapshot, audit, ['web'])).toBe('dedicated-mapper');
    expect(suggestedStrategy(snapshot, audit, ['app', 'web'])).toBe('dedicated-mapper');
  });
});

describe('provenance', () => {
  it('names the clients and the run, or only their number when that is too long', () => {
    expect(provenance(['app'], 'r1')).toBe('Created by Audience Doctor for client "app" (run r1)');
    expect(provenance(['a', 'b'], 'r1')).toBe('Created by Audience Doctor for clients "a", "b" (run r1)');
    const many = Array.from({ length: 30 }, (_, index) => `client-number-${index}`);
    expect(provenance(many, 'r1')).toBe('Created by Audience Doctor for 30 clients (run r1)');
    expect(provenance(['x'.repeat(300)], 'r1')).toBe('Created by Audience Doctor for 1 client (run r1)');
  });

  it('keeps a long shared-scope description within 255 characters', () => {
    const ids = Array.from({ length: 20 }, (_, index) => `service-${index}`);
    const snapshot = realm(ids.map((id) => client(id)));
    const result = plan(snapshot, ids, { strategy: 'shared-scope' });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { description: 'Created by Audience Doctor for 20 clients (run run-1)' },
    });
    expectFixed(snapshot, result, ids);
  });
});

describe('cross-client', () => {
  /** An API behind an aud-checking proxy, and the clients that call it. */
  const api = () => client('api', { bearerOnly: true });
  const callers = () => [client('web', { publicClient: true }), client('mobile', { publicClient: true })];
  const apiScope = (mappers = [plannedMapper('api')], settings: Partial<ClientScopeRep> = {}) =>
    scope('api-audience', mappers, settings);
  const cross = (snapshot: RealmSnapshot, clientIds: string[], options: Partial<PlanOptions> = {}) =>
    plan(snapshot, clientIds, { strategy: 'cross-client', audienceClientId: 'api', ...options });
  const always = (...clientIds: string[]) => clientIds.map((clientId) => ({ clientId, applies: 'always' }));

  it('creates the API client’s audience scope once and attaches it to each caller as a default scope', () => {
    const snapshot = realm([api(), ...callers()]);
    expect(audienceHolders(snapshot, 'api')).toEqual([]);
    const result = cross(snapshot, ['web', 'mobile']);
    const ref = { name: 'api-audience' };
    expect(result).toEqual({
      realm: 'demo',
      runId: RUN,
      strategy: 'cross-client',
      request: {
        clientIds: ['web', 'mobile'],
        options: { strategy: 'cross-client', runId: RUN, audienceClientId: 'api' },
      },
      steps: [
        {
          write: {
            kind: 'create-scope',
            scope: {
              name: 'api-audience',
              description:
                'Audience scope of client "api": the clients it is attached to get "api" in aud. Created by Audience Doctor for client "api" (run run-1)',
              protocol: 'openid-connect',
              attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
              protocolMappers: [
                {
                  name: 'api-audience',
                  protocol: 'openid-connect',
                  protocolMapper: 'oidc-audience-mapper',
                  config: mapperConfig('api'),
                },
              ],
            },
          },
          undo: { kind: 'delete-scope', scope: ref },
          clientIds: ['web', 'mobile'],
        },
        {
          write: { kind: 'attach-default-scope', client: target('web'), scope: ref },
          undo: { kind: 'detach-default-scope', client: target('web'), scope: ref },
          clientIds: ['web'],
        },
        {
          write: { kind: 'attach-default-scope', client: target('mobile'), scope: ref },
          undo: { kind: 'detach-default-scope', client: target('mobile'), scope: ref },
          clientIds: ['mobile'],
        },
      ],
      fixes: ['web', 'mobile'],
      skipped: [],
      notes: [],
      crossAcceptance: [{ clientId: 'api', accepts: ['web', 'mobile'] }],
      requiresConsent: false,
      audience: 'api',
    });
    expect(predictedHolders(snapshot, result)).toEqual(always('web', 'mobile'));
  });

  it('leaves the callers’ own verdicts as they are', () => {
    const snapshot = realm([api(), ...callers()]);
    const result = cross(snapshot, ['web']);
    expect(verdicts(simulate(snapshot, result))).toEqual(verdicts(snapshot));
    expect([...predictedAfter(snapshot, result).keys()]).toEqual(['web']);
  });

  it('uses the wished name of the API client’s scope, trimmed and made valid', () => {
    const snapshot = realm([api(), ...callers()]);
    const wished = cross(snapshot, ['web'], { scopeNames: { api: '  orders api ', web: 'ignored' } });
    const name = `orders-api-${shortHash('orders api')}`;
    expect(wished.steps.map((step) => ('scope' in step.write ? step.write.scope.name : undefined))).toEqual([
      name,
      name,
    ]);
    expect(wished.steps[0]?.write).toMatchObject({ scope: { protocolMappers: [{ name: 'api-audience' }] } });
    expect(predictedHolders(snapshot, wished)).toEqual(always('web'));
    const blank = cross(snapshot, ['web'], { scopeNames: { api: '   ' } });
    expect(blank.steps[0]?.write).toMatchObject({ kind: 'create-scope', scope: { name: 'api-audience' } });
  });

  it('reuses an existing scope that holds exactly the audience mapper: only the attaches', () => {
    const snapshot = realm([api(), ...callers()], { scopes: [apiScope()] });
    const result = cross(snapshot, ['web', 'mobile']);
    const ref = { id: 'scope-api-audience', name: 'api-audience' };
    expect(result.steps).toEqual([
      {
        write: { kind: 'attach-default-scope', client: target('web'), scope: ref },
        undo: { kind: 'detach-default-scope', client: target('web'), scope: ref },
        clientIds: ['web'],
      },
      {
        write: { kind: 'attach-default-scope', client: target('mobile'), scope: ref },
        undo: { kind: 'detach-default-scope', client: target('mobile'), scope: ref },
        clientIds: ['mobile'],
      },
    ]);
    expect(result.fixes).toEqual(['web', 'mobile']);
    expect(predictedHolders(snapshot, result)).toEqual(always('web', 'mobile'));
  });

  it.each([
    ['whose mapper also reaches lightweight tokens', [plannedMapper('api', true)]],
    [
      'whose mapper differs in flags no access token depends on',
      [{ ...plannedMapper('api'), config: { 'included.client.audience': 'api', 'access.token.claim': 'true' } }],
    ],
  ])('reuses a scope %s', (_, mappers) => {
    const snapshot = realm([api(), ...callers()], { scopes: [apiScope(mappers)] });
    const result = cross(snapshot, ['web']);
    expect(kinds(result)).toEqual(['attach-default-scope']);
    expect(predictedHolders(snapshot, result)).toEqual(always('web'));
  });

  const known = { 'scope-api-audience': false };
  const notReusable: [string, ClientScopeRep, Record<string, boolean>][] = [
    ['holds another mapper too', apiScope([plannedMapper('api'), plannedMapper('web')]), known],
    ['has role scope mappings', apiScope(), { 'scope-api-audience': true }],
    ['has role scope mappings nobody checked', apiScope(), {}],
    ['shows on the consent screen', apiScope(undefined, { attributes: { 'include.in.token.scope': 'false' } }), known],
    [
      'puts its name into the scope claim',
      apiScope(undefined, { attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' } }),
      known,
    ],
    ['adds a different audience', apiScope([plannedMapper('web')]), known],
    [
      'also names a custom audience',
      apiScope([{ ...plannedMapper('api'), config: { ...mapperConfig('api'), 'included.custom.audience': 'x' } }]),
      known,
    ],
    [
      'has the access token flag off',
      apiScope([{ ...plannedMapper('api'), config: { ...mapperConfig('api'), 'access.token.claim': 'false' } }]),
      known,
    ],
    ['has no mapper', apiScope([]), known],
    ['is a SAML scope', apiScope(undefined, { protocol: 'saml' }), known],
    [
      'holds a mapper of another type',
      apiScope([{ ...plannedMapper('api'), protocolMapper: 'oidc-hardcoded-claim-mapper' }]),
      known,
    ],
  ];

  it.each(notReusable)('does not reuse a same-named scope that %s: it takes "-2"', (_, existing, restrictions) => {
    const snapshot = realm([api(), ...callers()], { scopes: [existing] });
    snapshot.scopeRoleRestrictions = restrictions;
    const result = cross(snapshot, ['web']);
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { name: 'api-audience-2', protocolMappers: [{ name: 'api-audience', config: mapperConfig('api') }] },
    });
    expect(result.steps[1]?.write).toEqual({
      kind: 'attach-default-scope',
      client: target('web'),
      scope: { name: 'api-audience-2' },
    });
    expect(predictedHolders(snapshot, result)).toContainEqual({ clientId: 'web', applies: 'always' });
  });

  it('moves the API client’s scope from optional to default: detach-optional first, then attach-default', () => {
    const snapshot = realm([api(), client('web', { publicClient: true, optionalClientScopes: ['api-audience'] })], {
      scopes: [apiScope()],
    });
    expect(audienceHolders(snapshot, 'api')).toEqual([{ clientId: 'web', applies: 'optional' }]);
    const result = cross(snapshot, ['web']);
    const ref = { id: 'scope-api-audience', name: 'api-audience' };
    expect(result.steps).toEqual([
      {
        write: { kind: 'detach-optional-scope', client: target('web'), scope: ref },
        undo: { kind: 'attach-optional-scope', client: target('web'), scope: ref },
        clientIds: ['web'],
      },
      {
        write: { kind: 'attach-default-scope', client: target('web'), scope: ref },
        undo: { kind: 'detach-default-scope', client: target('web'), scope: ref },
        clientIds: ['web'],
      },
    ]);
    expect(predictedHolders(snapshot, result)).toEqual(always('web'));
  });

  it('leaves an optional link of a scope it cannot reuse alone, and attaches a new one', () => {
    const off = apiScope([
      { ...plannedMapper('api'), config: { ...mapperConfig('api'), 'access.token.claim': 'false' } },
    ]);
    const snapshot = realm([api(), client('web', { publicClient: true, optionalClientScopes: ['api-audience'] })], {
      scopes: [off],
    });
    const result = cross(snapshot, ['web']);
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
    expect(predictedHolders(snapshot, result)).toEqual(always('web'));
  });

  it('never links the scope again where it is a default scope already: the undo would remove a link it did not make', () => {
    // Only a realm without the Audience mapper type deployed gets here.
    const snapshot = realm([api(), client('web', { publicClient: true, defaultClientScopes: ['api-audience'] })], {
      scopes: [apiScope()],
    });
    snapshot.mapperTypes = ['oidc-hardcoded-claim-mapper'];
    expect(audienceHolders(snapshot, 'api')).toEqual([]);
    const result = cross(snapshot, ['web']);
    expect(result.steps).toEqual([]);
    expect(result.skipped).toMatchObject([
      {
        clientId: 'web',
        reason: 'Client scope "api-audience" is one of its default scopes already, yet its tokens do not carry "api".',
      },
    ]);
  });

  it('plans a caller that carries the audience only sometimes', () => {
    const restricted = scope('api-for-admins', [plannedMapper('api', false, 'api for admins')]);
    const snapshot = realm([api(), client('web', { publicClient: true, defaultClientScopes: ['api-for-admins'] })], {
      scopes: [restricted],
      restrictions: { 'scope-api-for-admins': true },
    });
    expect(audienceHolders(snapshot, 'api')).toEqual([{ clientId: 'web', applies: 'role-restricted' }]);
    const result = cross(snapshot, ['web']);
    expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
    expect(predictedHolders(snapshot, result)).toEqual([
      { clientId: 'web', applies: 'always' },
      { clientId: 'web', applies: 'role-restricted' },
    ]);
  });

  describe('skips callers, saying why', () => {
    const script: ProtocolMapperRep = {
      id: 'mapper-script',
      name: 'script',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-script-based-protocol-mapper',
      config: { 'access.token.claim': 'true' },
    };
    const snapshot = realm([
      api(),
      client('web', { publicClient: true }),
      client('done', { protocolMappers: [audienceMapperFixture('api')] }),
      client('backend', { bearerOnly: true }),
      client('off', { enabled: false }),
      client('odd', { protocolMappers: [script] }),
    ]);
    const reasons: [string, string][] = [
      ['api', 'It is the API client "api" itself: to put its own clientId into its tokens, choose another strategy.'],
      ['ghost', 'There is no client "ghost" in the realm (deleted since the audit?).'],
      [
        'backend',
        'It gets no access tokens that could carry "api": a bearer-only client never gets tokens of its own.',
      ],
      ['off', 'It gets no access tokens that could carry "api": the client is disabled.'],
      ['done', 'Its access tokens already carry "api".'],
    ];

    it('the snapshot holds what the cases say', () => {
      expect(verdicts(snapshot)).toMatchObject({
        backend: 'not-applicable',
        off: 'not-applicable',
        odd: 'unpredictable',
      });
      expect(audienceHolders(snapshot, 'api')).toEqual(always('done'));
    });

    it.each(reasons)('skips "%s"', (clientId, reason) => {
      const result = cross(snapshot, [clientId]);
      expect(result.steps).toEqual([]);
      expect(result.fixes).toEqual([]);
      expect(result.skipped).toMatchObject([{ clientId, reason }]);
      expect(result.crossAcceptance).toEqual([]);
      expect(result.audience).toBe('api');
    });

    it('plans the others, each once, and keeps the request as asked', () => {
      const asked = ['web', ...reasons.map(([clientId]) => clientId), 'web'];
      const result = cross(snapshot, asked);
      expect(result.fixes).toEqual(['web']);
      expect(result.steps.map((step) => [step.write.kind, step.clientIds])).toEqual([
        ['create-scope', ['web']],
        ['attach-default-scope', ['web']],
      ]);
      expect(result.skipped).toMatchObject(reasons.map(([clientId, reason]) => ({ clientId, reason })));
      expect(result.crossAcceptance).toEqual([{ clientId: 'api', accepts: ['web'] }]);
      expect(result.request.clientIds).toEqual(asked);
      expect(predictedHolders(snapshot, result)).toEqual(always('web', 'done'));
    });

    it('plans a caller whose aud cannot be predicted, with a note', () => {
      const result = cross(snapshot, ['odd']);
      expect(result.fixes).toEqual(['odd']);
      expect(kinds(result)).toEqual(['create-scope', 'attach-default-scope']);
      expect(result.notes).toEqual([
        '"odd": Cannot be predicted: "script" (oidc-script-based-protocol-mapper) in the client itself (Dedicated scope) can change aud. The scope is attached all the same, but whether its tokens then carry "api" cannot be predicted.',
      ]);
    });

    it.each([
      [
        'an API client that is not in the realm',
        'gone',
        'There is no API client "gone" in the realm (deleted since the audit?).',
      ],
      ['no API client', '', 'No API client chosen: name the client whose clientId these tokens should carry.'],
    ])('writes nothing for %s, and skips every caller', (_, audienceClientId, reason) => {
      const result = cross(snapshot, ['web', 'odd', 'web'], { audienceClientId });
      expect(result.steps).toEqual([]);
      expect(result.fixes).toEqual([]);
      expect(result.notes).toEqual([]);
      expect(result.skipped).toMatchObject([
        { clientId: 'web', reason },
        { clientId: 'odd', reason },
      ]);
      expect(result.crossAcceptance).toEqual([]);
      expect(result.requiresConsent).toBe(false);
      expect(predictedHolders(snapshot, result)).toEqual([]);
    });
  });

  it('gives the mapper lightweight.claim when one caller is lightweight, and it reaches every caller', () => {
    const snapshot = realm([
      api(),
      client('web', { publicClient: true }),
      client('light', { attributes: LIGHTWEIGHT }),
    ]);
    const result = cross(snapshot, ['web', 'light']);
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { name: 'api-audience', protocolMappers: [{ config: mapperConfig('api', true) }] },
    });
    expect(predictedHolders(snapshot, result)).toEqual(always('web', 'light'));
  });

  it('gives the mapper lightweight.claim for a caller a lightweight client policy may switch', () => {
    const snapshot = realm([api(), client('svc', { serviceAccountsEnabled: true })], { policies: lightweightPolicy });
    const result = cross(snapshot, ['svc']);
    expect(result.steps[0]?.write).toMatchObject({
      scope: { protocolMappers: [{ config: mapperConfig('api', true) }] },
    });
  });

  it('does not reuse a scope without lightweight.claim for a lightweight caller', () => {
    const snapshot = realm([api(), client('light', { attributes: LIGHTWEIGHT })], { scopes: [apiScope()] });
    const result = cross(snapshot, ['light']);
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { name: 'api-audience-2', protocolMappers: [{ config: mapperConfig('api', true) }] },
    });
    expect(predictedHolders(snapshot, result)).toEqual(always('light'));
  });

  it('has nothing left to do once applied', () => {
    const snapshot = realm([api(), ...callers()]);
    const after = simulate(snapshot, cross(snapshot, ['web', 'mobile']));
    const again = cross(after, ['web', 'mobile']);
    expect(again.steps).toEqual([]);
    expect(again.skipped.map((item) => item.reason)).toEqual([
      'Its access tokens already carry "api".',
      'Its access tokens already carry "api".',
    ]);
  });

  it('leaves the snapshot it is given untouched', () => {
    const snapshot = realm([api(), client('web', { optionalClientScopes: ['api-audience'] }), client('mobile')], {
      scopes: [apiScope()],
    });
    const before = structuredClone(snapshot);
    predictedHolders(snapshot, cross(snapshot, ['web', 'mobile']));
    expect(snapshot).toEqual(before);
  });

  it('has no holders to predict for a plan of a client’s own audience', () => {
    const snapshot = realm([api(), ...callers()]);
    const own = plan(snapshot, ['web'], { strategy: 'client-scope', audienceClientId: 'api' });
    expect(own.audience).toBeUndefined();
    expect(predictedHolders(snapshot, own)).toEqual([]);
  });

  it('is offered among the strategies but never suggested', () => {
    expect(STRATEGIES).toContain('cross-client');
    const snapshot = realm([api(), ...callers()]);
    expect(suggestedStrategy(snapshot, auditRealm(snapshot), ['web', 'mobile'])).toBe('dedicated-mapper');
  });

  it('says whose audience scope it is, and keeps a long description within 255 characters', () => {
    expect(audienceScopeDescription('api', 'r1')).toBe(
      'Audience scope of client "api": the clients it is attached to get "api" in aud. Created by Audience Doctor for client "api" (run r1)',
    );
    const middle = 'm'.repeat(100);
    expect(audienceScopeDescription(middle, 'r1')).toBe(
      `Audience scope of an API client. Created by Audience Doctor for client "${middle}" (run r1)`,
    );
    const long = 'l'.repeat(240);
    expect(audienceScopeDescription(long, 'r1')).toBe(
      'Audience scope of an API client. Created by Audience Doctor for 1 client (run r1)',
    );
    const snapshot = realm([client(long, { bearerOnly: true }), client('web')]);
    const result = plan(snapshot, ['web'], { strategy: 'cross-client', audienceClientId: long });
    expect(result.steps[0]?.write).toMatchObject({
      kind: 'create-scope',
      scope: { description: 'Audience scope of an API client. Created by Audience Doctor for 1 client (run run-1)' },
    });
    expect(predictedHolders(snapshot, result)).toEqual([{ clientId: 'web', applies: 'always' }]);
  });
});

describe('requirements and the own-audience fixes', () => {
  const requires = (audiences: string[]) => ({ 'audience-doctor.requires': JSON.stringify(audiences) });
  const api = client('orders-api', { bearerOnly: true });

  it('skips a client whose requirements do not name its own clientId, and says what to do instead', () => {
    const snapshot = realm([client('spa', { attributes: requires(['orders-api']) }), api]);
    const result = plan(snapshot, ['spa'], { strategy: 'dedicated-mapper' });
    expect(result.steps).toEqual([]);
    expect(result.skipped).toMatchObject([{ clientId: 'spa', code: 'not-required' }]);
    expect(result.skipped[0]?.reason).toContain('name orders-api, not its own clientId');
  });

  it('fixes the own clientId when the requirements name it among others', () => {
    const snapshot = realm([client('spa', { attributes: requires(['spa', 'orders-api']) }), api]);
    const result = plan(snapshot, ['spa'], { strategy: 'dedicated-mapper' });
    expect(result.fixes).toEqual(['spa']);
    const after = predictedAfter(snapshot, result).get('spa');
    expect(after?.requirements.map((item) => [item.audience, item.status])).toEqual([
      ['spa', 'met'],
      ['orders-api', 'unmet'],
    ]);
    // Its verdict stays the worst requirement: orders-api is still to be put in.
    expect(after?.verdict).toBe('missing');
    expect(after?.ownVerdict).toBe('ok');
  });
});
