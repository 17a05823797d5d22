import { describe, expect, it } from 'vitest';
import type { RealmSnapshot } from '../../audit/snapshot.ts';
import { clientRepFixture } from '../../audit/test-fixtures.ts';
import { Ids } from '../ids.ts';
import { newJournal } from '../journal.ts';
import { audienceMapper, SCOPE_ATTRIBUTES } from '../new-objects.ts';
import { simulate } from '../simulate.ts';
import type { Plan, StoredMapper, Write, WriteKind } from '../types.ts';
import { describeWrite, kindOf } from './index.ts';

const app = clientRepFixture('app', {
  id: 'app-uuid',
  defaultClientScopes: ['old-default'],
  optionalClientScopes: ['old-optional'],
  protocolMappers: [{ id: 'm1', name: 'old-mapper', protocolMapper: 'oidc-audience-mapper', config: { a: '1' } }],
});
const snapshot: RealmSnapshot = {
  realm: 'demo',
  keycloakVersion: undefined,
  clients: [app],
  clientScopes: [
    { id: 's1', name: 'old-default', protocol: 'openid-connect', protocolMappers: [] },
    { id: 's2', name: 'old-optional', protocol: 'openid-connect', protocolMappers: [] },
    {
      id: 's3',
      name: 'with-mapper',
      protocol: 'openid-connect',
      protocolMappers: [{ id: 'm2', name: 'scope-mapper', protocolMapper: 'oidc-audience-mapper', config: { a: '1' } }],
    },
    { id: 's4', name: 'spare', protocol: 'openid-connect', protocolMappers: [] },
  ],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};
const client = { id: 'app-uuid', clientId: 'app' };
const stored = (id: string, name: string, a: string): StoredMapper => ({
  id,
  name,
  protocolMapper: 'oidc-audience-mapper',
  config: { a },
});

/** One write of every kind, each a change to the snapshot above; the type makes a missing kind fail to compile. */
const samples: { [K in WriteKind]: Extract<Write, { kind: K }> } = {
  'create-client-mapper': { kind: 'create-client-mapper', client, mapper: audienceMapper('new-mapper', 'app', false) },
  'delete-client-mapper': { kind: 'delete-client-mapper', client, mapperName: 'old-mapper' },
  'update-client-mapper': {
    kind: 'update-client-mapper',
    client,
    mapper: stored('m1', 'old-mapper', '2'),
    replaces: stored('m1', 'old-mapper', '1'),
  },
  'create-scope': {
    kind: 'create-scope',
    scope: {
      name: 'new-scope',
      description: 'made here',
      protocol: 'openid-connect',
      attributes: { ...SCOPE_ATTRIBUTES },
      protocolMappers: [audienceMapper('app-audience', 'app', false)],
    },
  },
  'delete-scope': { kind: 'delete-scope', scope: { id: 's4', name: 'spare' } },
  'update-scope-mapper': {
    kind: 'update-scope-mapper',
    scope: { id: 's3', name: 'with-mapper' },
    mapper: stored('m2', 'scope-mapper', '2'),
    replaces: stored('m2', 'scope-mapper', '1'),
  },
  'attach-default-scope': { kind: 'attach-default-scope', client, scope: { id: 's4', name: 'spare' } },
  'detach-default-scope': { kind: 'detach-default-scope', client, scope: { id: 's1', name: 'old-default' } },
  'attach-optional-scope': { kind: 'attach-optional-scope', client, scope: { id: 's4', name: 'spare' } },
  'detach-optional-scope': { kind: 'detach-optional-scope', client, scope: { id: 's2', name: 'old-optional' } },
  'set-client-attribute': {
    kind: 'set-client-attribute',
    client,
    name: 'audience-doctor.requires',
    value: '["api"]',
    replaces: null,
  },
};

const planOf = (write: Write): Plan => ({
  realm: 'demo',
  runId: 'run-1',
  strategy: 'dedicated-mapper',
  request: { clientIds: ['app'], options: { strategy: 'dedicated-mapper', runId: 'run-1' } },
  steps: [{ write, undo: write, clientIds: ['app'] }],
  fixes: ['app'],
  skipped: [],
  notes: [],
  crossAcceptance: [],
  requiresConsent: false,
});

const presenceIn = (realm: RealmSnapshot, write: Write) =>
  kindOf(write).presence(write, {
    snapshot: realm,
    journal: newJournal(planOf(write), ''),
    createdId: undefined,
    ids: new Ids(),
  }).state;

describe.each(Object.values(samples))('write kind $kind', (write) => {
  it('has one sentence, one REST call and kcadm.sh lines', () => {
    const spec = kindOf(write);
    expect(describeWrite(write)).toMatch(/^[A-Z]/);
    const call = spec.rest(write, {
      realm: 'https://kc/admin/realms/demo',
      client: (target) => `https://kc/admin/realms/demo/clients/${target.id}`,
      scope: (scope) => scope.id ?? `{${scope.name}}`,
    });
    expect(call.path).toMatch(/^https:\/\/kc\/admin\/realms\/demo\//);
    expect(['POST', 'PUT', 'DELETE']).toContain(call.method);
    const lines = spec.kcadm(write, {
      client: () => 'clients/$CLIENT_1',
      scope: () => 'SCOPE_1',
      newScope: () => 'SCOPE_1',
      mapperLookup: () => 'MAPPER_ID=x',
    });
    expect(lines.at(-1)).toMatch(/^(kc |SCOPE_1=\$\(kc )/);
  });

  it('is absent from the realm before, and in place once simulated: undo and prediction agree', () => {
    expect(presenceIn(snapshot, write)).toBe('absent');
    expect(presenceIn(simulate(snapshot, planOf(write)), write)).toBe('in-place');
  });
});
