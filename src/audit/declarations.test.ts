import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import type { ClientAudit, RealmAudit } from './findings.ts';
import { createPartialAuditor } from './partial-audit.ts';
import { CALLERS_ATTRIBUTE, declarationsOf, REQUIRES_ATTRIBUTE, requirementsOf } from './requirements.ts';
import type { ClientRep } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';
import { requiredAudiences } from './trust-map.ts';

const callers = (clientIds: unknown) => ({ [CALLERS_ATTRIBUTE]: JSON.stringify(clientIds) });
const requires = (audiences: string[]) => ({ [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) });

const api = (clientId: string, attributes: Record<string, string>) =>
  clientRepFixture(clientId, { bearerOnly: true, attributes });

function clientOf(audit: RealmAudit, clientId: string): ClientAudit {
  const found = audit.clients.find((client) => client.clientId === clientId);
  if (!found) throw new Error(`no audit of ${clientId}`);
  return found;
}

const audited = (clients: ClientRep[]) => auditRealm(realmSnapshotFixture(clients, '26.7.5'));

describe('audience-doctor.callers declarations', () => {
  it('maps each caller to the clients that declare it, and keeps junk apart', () => {
    const declarations = declarationsOf([
      api('orders', callers(['web', 'batch'])),
      api('billing', callers(['web'])),
      api('broken', { [CALLERS_ATTRIBUTE]: 'web' }),
      clientRepFixture('web'),
    ]);
    expect(Object.fromEntries(declarations.byCaller)).toEqual({ web: ['billing', 'orders'], batch: ['orders'] });
    expect(Object.fromEntries(declarations.unreadable)).toEqual({ broken: 'web (it is not JSON)' });
    expect(Object.fromEntries(declarations.callersOf)).toEqual({ orders: ['web', 'batch'], billing: ['web'] });
  });

  it("adds the declaring client to the caller's own list, and marks only what it alone adds", () => {
    const declarations = declarationsOf([api('orders', callers(['web'])), api('billing', callers(['web']))]);
    const web = clientRepFixture('web', { attributes: requires(['billing']) });
    expect(requirementsOf(web, undefined, declarations)).toEqual({
      audiences: ['billing', 'orders'],
      source: 'attribute',
      declaredBy: ['billing', 'orders'],
      addedByDeclarations: ['orders'],
    });
    // A file replaces the own list, never a declaration.
    expect(requirementsOf(web, new Map([['web', []]]), declarations).audiences).toEqual(['billing', 'orders']);
  });

  it('judges a default client by its own clientId and by every declaration naming it', () => {
    const audit = audited([
      api('orders', callers(['web'])),
      clientRepFixture('web', { protocolMappers: [audienceMapperFixture('web')] }),
      clientRepFixture('fixed-web', {
        protocolMappers: [audienceMapperFixture('fixed-web'), audienceMapperFixture('orders')],
      }),
      api('billing', callers(['fixed-web'])),
    ]);
    const web = clientOf(audit, 'web');
    expect(web.requirementSource).toBe('default');
    expect(web.declaredBy).toEqual(['orders']);
    expect(web.requirements.map(({ audience, status, declared }) => ({ audience, status, declared }))).toEqual([
      { audience: 'web', status: 'met', declared: undefined },
      { audience: 'orders', status: 'unmet', declared: true },
    ]);
    expect(web.verdict).toBe('missing');
    expect(web.reason).toContain(`client orders names it in ${CALLERS_ATTRIBUTE}`);
    // Its own list is what an edit starts from; the declaration is the declaring client's.
    expect(requiredAudiences(audit, 'web')).toEqual(['web']);
    // billing declares fixed-web, whose tokens do not carry billing: unmet although its own clientId is there.
    expect(clientOf(audit, 'fixed-web').verdict).toBe('missing');
  });

  it('says what is wrong with a declaration on the declaring client, which needs no tokens of its own', () => {
    const audit = audited([
      api('junk-api', { [CALLERS_ATTRIBUTE]: '["web", 3]' }),
      api('typo-api', callers(['wbe'])),
      clientRepFixture('web', { protocolMappers: [audienceMapperFixture('web')] }),
    ]);
    const junk = clientOf(audit, 'junk-api');
    expect(junk.verdict).toBe('not-applicable');
    expect(junk.problems.map((problem) => problem.code)).toEqual(['callers-unreadable']);
    expect(clientOf(audit, 'typo-api').problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('names "wbe", which is not among the clients read'),
    ]);
    // Junk declares nothing: web is judged by its own clientId alone.
    expect(clientOf(audit, 'web').declaredBy).toEqual([]);
    expect(clientOf(audit, 'web').verdict).toBe('ok');
  });
});

describe('declarations while the realm is read', () => {
  const web = clientRepFixture('web', { protocolMappers: [audienceMapperFixture('web')] });
  const orders = api('orders', callers(['web', 'zz-late']));
  const progress = (clientsComplete: boolean) => ({ clientsComplete, pendingScopeIds: [] });

  it('judges a caller again when a declaration naming it arrives on a later page', () => {
    const auditor = createPartialAuditor();
    const first = auditor(realmSnapshotFixture([web], '26.7.5'), progress(false));
    expect(first.waiting.has(web.id)).toBe(false);
    expect(clientOf(first.audit, 'web').verdict).toBe('ok');
    const second = auditor(realmSnapshotFixture([web, orders], '26.7.5'), progress(false));
    expect(clientOf(second.audit, 'web').verdict).toBe('missing');
  });

  it('keeps the declaring client waiting for a caller not read yet, then agrees with the whole audit', () => {
    const auditor = createPartialAuditor();
    const early = auditor(realmSnapshotFixture([web, orders], '26.7.5'), progress(false));
    expect(early.waiting.get(orders.id)).toEqual(['other clients']);
    const late = clientRepFixture('zz-late');
    const done = auditor(realmSnapshotFixture([web, orders, late], '26.7.5'), progress(true));
    expect(done.waiting.size).toBe(0);
    expect(done.audit.clients).toEqual(audited([web, orders, late]).clients);
  });
});
