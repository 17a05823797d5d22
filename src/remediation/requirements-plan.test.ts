import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import { CALLERS_ATTRIBUTE, REQUIRES_ATTRIBUTE } from '../audit/requirements.ts';
import type { ClientRep, RealmSnapshot } from '../audit/snapshot.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from '../audit/test-fixtures.ts';
import { planFix } from './plan.ts';
import { predictedAfter } from './predict.ts';
import { kcadmScript } from './render-kcadm.ts';
import type { PlanOptions } from './types.ts';

const requires = (value: string) => ({ attributes: { [REQUIRES_ATTRIBUTE]: value } });

function plan(snapshot: RealmSnapshot, requirements: Record<string, string[] | null>, more: Partial<PlanOptions> = {}) {
  return planFix(snapshot, auditRealm(snapshot), Object.keys(requirements), {
    strategy: 'requirements',
    runId: 'run-1',
    requirements,
    ...more,
  });
}

const realmOf = (clients: ClientRep[]) => realmSnapshotFixture(clients, '26.7.5');

describe('requirements plan', () => {
  const spa = clientRepFixture('spa', { publicClient: true });
  const api = clientRepFixture('api', { bearerOnly: true });

  it('writes the list as JSON to the attribute, undone by writing back what it held', () => {
    const result = plan(realmOf([spa, api]), { spa: ['api'] });
    expect(result.fixes).toEqual(['spa']);
    expect(result.steps).toEqual([
      {
        write: {
          kind: 'set-client-attribute',
          client: { id: 'uuid-spa', clientId: 'spa' },
          name: REQUIRES_ATTRIBUTE,
          value: '["api"]',
          replaces: null,
        },
        undo: {
          kind: 'set-client-attribute',
          client: { id: 'uuid-spa', clientId: 'spa' },
          name: REQUIRES_ATTRIBUTE,
          value: null,
          replaces: '["api"]',
        },
        clientIds: ['spa'],
      },
    ]);
  });

  it('predicts the verdict the written requirements give', () => {
    const snapshot = realmOf([spa, api]);
    const result = plan(snapshot, { spa: ['api'] });
    const after = predictedAfter(snapshot, result).get('spa');
    expect(after?.requirementSource).toBe('attribute');
    expect(after?.requirements.map((item) => `${item.status} ${item.audience}`)).toEqual(['unmet api']);
  });

  it('takes the attribute away for null, and leaves a list that says the same alone', () => {
    const snapshot = realmOf([clientRepFixture('spa', requires('["api"]')), api]);
    expect(plan(snapshot, { spa: null }).steps[0]?.write).toMatchObject({ value: null, replaces: '["api"]' });
    expect(plan(snapshot, { spa: ['api'] }).skipped).toEqual([
      expect.objectContaining({ clientId: 'spa', code: 'requirements-unchanged' }),
    ]);
  });

  it('never writes over junk unless replacing it was chosen', () => {
    const snapshot = realmOf([clientRepFixture('spa', requires('api, orders')), api]);
    const kept = plan(snapshot, { spa: ['api'] });
    expect(kept.steps).toEqual([]);
    expect(kept.skipped[0]).toMatchObject({ code: 'requirements-unreadable' });
    expect(kept.skipped[0]?.reason).toContain('api, orders');
    const replaced = plan(snapshot, { spa: ['api'] }, { replaceUnreadable: true });
    expect(replaced.steps[0]?.write).toMatchObject({ value: '["api"]', replaces: 'api, orders' });
  });

  it('refuses an audience that names no client and that no mapper adds, unless accepted', () => {
    const custom = clientRepFixture('other', {
      protocolMappers: [{ ...audienceMapperFixture('x'), config: { 'included.custom.audience': 'https://billing' } }],
    });
    const snapshot = realmOf([spa, api, custom]);
    const refused = plan(snapshot, { spa: ['api', 'deleted-api'] });
    expect(refused.steps).toEqual([]);
    expect(refused.skipped[0]).toMatchObject({ code: 'unknown-audience' });
    expect(refused.skipped[0]?.reason).toContain('"deleted-api"');
    expect(plan(snapshot, { spa: ['https://billing'] }).fixes).toEqual(['spa']);
    expect(plan(snapshot, { spa: ['deleted-api'] }, { acceptUnknownAudiences: true }).fixes).toEqual(['spa']);
  });

  it('follows access.configure, and skips clients the realm does not have', () => {
    const locked = clientRepFixture('spa', { access: { view: true, configure: false } });
    const result = plan(realmOf([locked, api]), { spa: ['api'], gone: [] });
    expect(result.skipped.map((item) => item.code)).toEqual(['not-configurable', 'no-such-client']);
  });

  it('warns of client-attributes policy conditions, and of policies it could not read', () => {
    const snapshot: RealmSnapshot = {
      ...realmOf([spa, api]),
      clientPolicies: {
        profiles: [],
        policies: [{ name: 'tagged', conditions: [{ condition: 'client-attributes' }] }],
      },
    };
    expect(plan(snapshot, { spa: ['api'] }).notes.join(' ')).toContain('"tagged"');
    expect(plan({ ...snapshot, clientPolicies: undefined }, { spa: ['api'] }).notes.join(' ')).toContain(
      'could not be read',
    );
    expect(plan(realmOf([spa, api]), { spa: ['api'] }).notes).toEqual([]);
  });

  it('renders kcadm.sh update with the list as a JSON string', () => {
    const script = kcadmScript(plan(realmOf([spa, api]), { spa: ['api'] }), 'http://kc');
    expect(script).toContain(`-s 'attributes."audience-doctor.requires"="[\\"api\\"]"'`);
  });
});

describe('declared callers plan', () => {
  const spa = clientRepFixture('spa', { publicClient: true });
  const api = clientRepFixture('api', { bearerOnly: true });
  const callersPlan = (snapshot: RealmSnapshot, callers: Record<string, string[] | null>) =>
    planFix(snapshot, auditRealm(snapshot), Object.keys(callers), {
      strategy: 'requirements',
      runId: 'run-1',
      callers,
    });

  it("writes the API's callers to its own attribute, and the callers' predicted verdicts gain the API", () => {
    const snapshot = realmOf([spa, api]);
    const result = callersPlan(snapshot, { api: ['spa'] });
    expect(result.steps.map(({ write }) => write)).toEqual([
      {
        kind: 'set-client-attribute',
        client: { id: 'uuid-api', clientId: 'api' },
        name: CALLERS_ATTRIBUTE,
        value: '["spa"]',
        replaces: null,
      },
    ]);
    const after = predictedAfter(snapshot, result).get('spa');
    expect(after?.declaredBy).toEqual(['api']);
    expect(after?.requirements.map((item) => `${item.status} ${item.audience}`)).toEqual(['unmet spa', 'unmet api']);
  });

  it('takes the attribute away for an empty list, and refuses callers that are no client', () => {
    const declared = clientRepFixture('api', {
      bearerOnly: true,
      attributes: { [CALLERS_ATTRIBUTE]: '["spa"]' },
    });
    const removed = callersPlan(realmOf([spa, declared]), { api: [] });
    expect(removed.steps.map(({ write }) => write.kind === 'set-client-attribute' && write.value)).toEqual([null]);
    const typo = callersPlan(realmOf([spa, api]), { api: ['sap'] });
    expect(typo.steps).toEqual([]);
    expect(typo.skipped).toEqual([
      { clientId: 'api', code: 'unknown-caller', reason: expect.stringContaining('"sap"') },
    ]);
  });

  it('writes both attributes of one client in one plan, each undone on its own', () => {
    const result = planFix(realmOf([spa, api]), auditRealm(realmOf([spa, api])), ['api'], {
      strategy: 'requirements',
      runId: 'run-1',
      requirements: { api: [] },
      callers: { api: ['spa'] },
    });
    expect(result.fixes).toEqual(['api']);
    expect(result.steps.map(({ write }) => write.kind === 'set-client-attribute' && write.name)).toEqual([
      REQUIRES_ATTRIBUTE,
      CALLERS_ATTRIBUTE,
    ]);
  });
});
