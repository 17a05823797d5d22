import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { planFix } from './plan.ts';
import { buildPlanFile, PLAN_FILE_FORMAT, type PlanFile, parsePlanFile, planFileText, planOf } from './plan-file.ts';
import type { PlanOptions } from './types.ts';

const snapshot: RealmSnapshot = {
  realm: 'demo',
  keycloakVersion: undefined,
  clients: [clientRepFixture('orders-web'), clientRepFixture('shop-spa'), clientRepFixture('orders-api')],
  clientScopes: [],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};

const URL = 'https://kc.example.com';
const NOW = new Date('2026-11-30T09:00:00Z');

function planned(clientIds: string[], options: Omit<PlanOptions, 'runId'>, crossTrustAccepted = false) {
  const plan = planFix(snapshot, auditRealm(snapshot), clientIds, { ...options, runId: 'run-7' });
  return { plan, file: buildPlanFile(plan, { keycloakUrl: URL, crossTrustAccepted, now: NOW }) };
}

/** What a file holds after it was written and read back. */
const roundTrip = (file: PlanFile): unknown => JSON.parse(planFileText(file));

const problemOf = (value: unknown) => {
  const parsed = parsePlanFile(value);
  if (!('problem' in parsed)) throw new Error('expected a problem');
  return parsed.problem;
};

describe('plan files', () => {
  it('hold the server, realm, strategy, request and writes, and read back as the same plan', () => {
    const { plan, file } = planned(['orders-web', 'shop-spa'], { strategy: 'client-scope' });
    expect(file).toMatchObject({
      format: PLAN_FILE_FORMAT,
      version: 1,
      createdAt: '2026-11-30T09:00:00.000Z',
      keycloakUrl: URL,
      realm: 'demo',
      strategy: 'client-scope',
      request: { clientIds: ['orders-web', 'shop-spa'], options: { strategy: 'client-scope', runId: 'run-7' } },
      fixes: ['orders-web', 'shop-spa'],
      crossTrustAccepted: false,
    });
    expect(file.steps.map((step) => step.write.kind)).toEqual([
      'create-scope',
      'attach-default-scope',
      'create-scope',
      'attach-default-scope',
    ]);
    const parsed = parsePlanFile(roundTrip(file));
    if (!('planFile' in parsed)) throw new Error(parsed.problem);
    expect(planOf(parsed.planFile)).toEqual(plan);
  });

  it('keep the keys of every write in the order they were read, so writes compare as text', () => {
    const { file } = planned(['orders-web'], { strategy: 'dedicated-mapper' });
    const [step] = file.steps;
    if (step?.write.kind !== 'create-client-mapper') throw new Error('expected a new mapper');
    // Keys in another order than the schema's, as another writer might put them.
    const { kind, client, mapper } = step.write;
    const { name, protocol, protocolMapper, config } = mapper;
    const reordered = {
      mapper: { config, protocolMapper, protocol, name },
      client: { clientId: client.clientId, id: client.id },
      kind,
    };
    const parsed = parsePlanFile(roundTrip({ ...file, steps: [{ ...step, write: reordered as never }] }));
    if (!('planFile' in parsed)) throw new Error(parsed.problem);
    expect(JSON.stringify(parsed.planFile.steps[0]?.write)).toBe(JSON.stringify(reordered));
  });

  it('record the consent to a shared scope, and refuse one that makes services trust each other without it', () => {
    const { plan, file } = planned(['orders-web', 'shop-spa'], { strategy: 'shared-scope' }, true);
    expect(plan.requiresConsent).toBe(true);
    const parsed = parsePlanFile(roundTrip(file));
    if (!('planFile' in parsed)) throw new Error(parsed.problem);
    expect(planOf(parsed.planFile).requiresConsent).toBe(true);
    expect(problemOf({ ...file, crossTrustAccepted: false })).toContain('--accept-cross-trust');
    // Emptying the list of who accepts whom does not hide a step that serves several clients.
    expect(problemOf({ ...file, crossAcceptance: [], crossTrustAccepted: false })).toContain('--accept-cross-trust');
  });

  it('keep the audience of a cross-client plan, which needs no consent', () => {
    const { plan, file } = planned(['orders-web'], { strategy: 'cross-client', audienceClientId: 'orders-api' });
    expect(file.audience).toBe('orders-api');
    const parsed = parsePlanFile(roundTrip(file));
    if (!('planFile' in parsed)) throw new Error(parsed.problem);
    expect(planOf(parsed.planFile)).toEqual(plan);
    expect(planOf(parsed.planFile).requiresConsent).toBe(false);
  });

  it('hold no secret of a client', () => {
    const secretive: RealmSnapshot = {
      ...snapshot,
      clients: [clientRepFixture('orders-web', { secret: 'client-secret-do-not-copy' } as never)],
    };
    const plan = planFix(secretive, auditRealm(secretive), ['orders-web'], { strategy: 'client-scope', runId: 'r' });
    expect(planFileText(buildPlanFile(plan, { keycloakUrl: URL, crossTrustAccepted: false }))).not.toContain(
      'client-secret-do-not-copy',
    );
  });

  it.each([
    [[], 'Not a plan file of Audience Doctor.'],
    [{ format: 'something-else' }, 'Not a plan file of Audience Doctor.'],
    [{ format: PLAN_FILE_FORMAT, version: 2 }, 'version 2; this version of Audience Doctor reads version 1'],
  ])('refuse %j', (value, message) => {
    expect(problemOf(value)).toContain(message);
  });

  it('say where a file is broken', () => {
    const { file } = planned(['orders-web'], { strategy: 'client-scope' });
    const broken = roundTrip(file) as { steps: { write: { kind: string } }[] };
    (broken.steps[0] as { write: { kind: string } }).write.kind = 'drop-realm';
    expect(problemOf(broken)).toMatch(/^Not a valid plan file at steps\.0\.write\.kind: /);
    expect(problemOf({ ...file, strategy: 'repair' })).toContain('the request asks for "client-scope"');
    expect(problemOf({ ...file, fixes: ['orders-web', 'payroll'] })).toContain('"payroll", which the request does');
    expect(problemOf({ ...file, fixes: [] })).toContain('a step is for "orders-web"');
    const { realm: _, ...withoutRealm } = file;
    expect(problemOf(withoutRealm)).toContain('at realm');
  });
});
