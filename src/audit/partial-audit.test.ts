import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import { createPartialAuditor } from './partial-audit.ts';
import type { ClientScopeRep, RealmSnapshot } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from './test-fixtures.ts';

const apiScope: ClientScopeRep = {
  id: 'scope-api',
  name: 'api-audience',
  protocolMappers: [audienceMapperFixture('api')],
};

function snapshotOf(clients: RealmSnapshot['clients'], restricted: Record<string, boolean> = {}): RealmSnapshot {
  return {
    realm: 'r',
    keycloakVersion: '26.7.5',
    clients,
    clientScopes: [apiScope],
    mapperTypes: undefined,
    scopeRoleRestrictions: restricted,
    clientPolicies: { policies: [], profiles: [] },
  };
}

const fixed = clientRepFixture('fixed', { protocolMappers: [audienceMapperFixture('fixed')] });
const plain = clientRepFixture('plain');
const caller = clientRepFixture('caller', { defaultClientScopes: ['api-audience'] });
const callsLater = clientRepFixture('calls-later', { protocolMappers: [audienceMapperFixture('zz-api')] });
const later = clientRepFixture('zz-api');
const namesNewScope = clientRepFixture('names-new', { defaultClientScopes: ['made-meanwhile'] });

describe('createPartialAuditor', () => {
  it('gives final verdicts to clients that depend on nothing still being read', () => {
    const audit = createPartialAuditor();
    const { audit: partial, waiting } = audit(snapshotOf([fixed, plain]), {
      clientsComplete: false,
      pendingScopeIds: [],
    });
    expect(waiting.size).toBe(0);
    expect(partial.clients.map((client) => client.verdict)).toEqual(['ok', 'missing']);
  });

  it('makes a client wait for the role check of an audience scope it has', () => {
    const { waiting } = createPartialAuditor()(snapshotOf([caller, plain, clientRepFixture('api')]), {
      clientsComplete: false,
      pendingScopeIds: ['scope-api'],
    });
    expect(waiting.get(caller.id)).toEqual(['scope roles']);
    expect(waiting.has(plain.id)).toBe(false);
  });

  it('makes a client wait for the other clients while its audience names one not read yet', () => {
    const audit = createPartialAuditor();
    const early = audit(snapshotOf([callsLater]), { clientsComplete: false, pendingScopeIds: [] });
    expect(early.waiting.get(callsLater.id)).toEqual(['other clients']);
    const done = audit(snapshotOf([callsLater, later]), { clientsComplete: true, pendingScopeIds: [] });
    expect(done.waiting.size).toBe(0);
    const whole = auditRealm(snapshotOf([callsLater, later]));
    expect(done.audit.clients).toEqual(whole.clients);
  });

  it('makes a client wait for the other clients while a scope of it names one not read yet', () => {
    const progress = { clientsComplete: false, pendingScopeIds: [] };
    const audit = createPartialAuditor();
    expect(audit(snapshotOf([caller, plain]), progress).waiting.get(caller.id)).toEqual(['other clients']);
    expect(audit(snapshotOf([caller, plain, clientRepFixture('api')]), progress).waiting.has(caller.id)).toBe(false);
  });

  it('makes a client naming an unlisted scope wait until the read is complete', () => {
    const { waiting } = createPartialAuditor()(snapshotOf([namesNewScope]), {
      clientsComplete: false,
      pendingScopeIds: [],
    });
    expect(waiting.get(namesNewScope.id)).toEqual(['client scopes']);
  });

  it('keeps a final verdict for the same representation and judges a new one again', () => {
    const audit = createPartialAuditor();
    const first = audit(snapshotOf([fixed]), { clientsComplete: false, pendingScopeIds: [] });
    const again = audit(snapshotOf([fixed, plain]), { clientsComplete: false, pendingScopeIds: [] });
    expect(again.audit.clients[0]).toBe(first.audit.clients[0]);
    const reread = { ...fixed, protocolMappers: [] };
    const third = audit(snapshotOf([reread]), { clientsComplete: true, pendingScopeIds: [] });
    expect(third.audit.clients[0]?.verdict).toBe('missing');
  });

  it('agrees with the whole-realm audit once everything is read', () => {
    const clients = [fixed, plain, caller, callsLater, later];
    const snapshot = snapshotOf(clients, { 'scope-api': false });
    const audit = createPartialAuditor();
    audit(snapshotOf(clients.slice(0, 2)), { clientsComplete: false, pendingScopeIds: ['scope-api'] });
    const done = audit(snapshot, { clientsComplete: true, pendingScopeIds: [] });
    expect(done.audit).toEqual(auditRealm(snapshot));
  });
});
