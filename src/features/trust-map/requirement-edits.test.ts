import { describe, expect, it } from 'vitest';
import { auditRealm } from '../../audit/audit-realm.ts';
import { REQUIRES_ATTRIBUTE } from '../../audit/requirements.ts';
import { clientRepFixture, realmSnapshotFixture } from '../../audit/test-fixtures.ts';
import {
  bulkEdit,
  editedList,
  pendingEdits,
  planRequirements,
  snapshotWithEdits,
  withEdit,
} from './requirement-edits.ts';

const stating = (clientId: string, value: string) =>
  clientRepFixture(clientId, { attributes: { [REQUIRES_ATTRIBUTE]: value } });

const spa = stating('spa', '["orders-api"]');
const web = clientRepFixture('web');
const junk = stating('junk', 'orders-api, spa');
const api = clientRepFixture('orders-api', { bearerOnly: true, standardFlowEnabled: false });
const snapshot = realmSnapshotFixture([spa, web, junk, api], '26.7.5');
const none = new Map<string, string[] | null>();

describe('requirement edits', () => {
  it('start from the attribute, else from the default rule (also for an unreadable attribute)', () => {
    expect(editedList(spa, none)).toEqual(['orders-api']);
    expect(editedList(web, none)).toEqual(['web']);
    expect(editedList(junk, none)).toEqual(['junk']);
    expect(editedList(spa, new Map([['spa', null]]))).toEqual(['spa']);
  });

  it('clean typed names, and drop an edit that leaves the attribute as it is', () => {
    const edited = withEdit(none, spa, [' orders-api', 'billing-api', '', 'billing-api']);
    expect(edited.get('spa')).toEqual(['orders-api', 'billing-api']);
    expect(withEdit(edited, spa, ['orders-api']).has('spa')).toBe(false);
    // Back to the default on a client without the attribute is no edit; on one with it, it is.
    expect(withEdit(none, web, null).has('web')).toBe(false);
    expect(withEdit(none, spa, null).get('spa')).toBeNull();
    // Its own clientId written out is a change of the attribute, though the effective list stays.
    expect(withEdit(none, web, ['web']).get('web')).toEqual(['web']);
  });

  it('add an audience across clients, each from its own list, leaving those that have it', () => {
    const edited = bulkEdit(new Map([['web', ['x']]]), [spa, web, junk], { kind: 'add', audience: 'orders-api' });
    expect(Object.fromEntries(edited)).toEqual({ web: ['x', 'orders-api'], junk: ['junk', 'orders-api'] });
  });

  it('remove an audience across clients; a list left empty requires nothing', () => {
    const edited = bulkEdit(none, [spa, web], { kind: 'remove', audience: 'orders-api' });
    expect(Object.fromEntries(edited)).toEqual({ spa: [] });
  });

  it('set one list on every selected client, or reset them to the default', () => {
    const set = bulkEdit(none, [spa, web], { kind: 'set', audiences: ['orders-api'] });
    expect(Object.fromEntries(set)).toEqual({ web: ['orders-api'] });
    const reset = bulkEdit(set, [spa, web, junk], { kind: 'reset' });
    expect(Object.fromEntries(reset)).toEqual({ spa: null, junk: null });
  });

  it('list what is pending with what Keycloak holds now, in clientId order', () => {
    const edits = new Map<string, string[] | null>([
      ['web', ['orders-api']],
      ['junk', ['orders-api']],
      ['gone', ['x']],
      ['spa', ['orders-api']],
    ]);
    const pending = pendingEdits(snapshot, edits);
    expect(pending).toEqual([
      {
        clientId: 'junk',
        now: ['junk'],
        nowSource: 'default',
        unreadable: 'orders-api, spa (it is not JSON)',
        next: ['orders-api'],
      },
      { clientId: 'web', now: ['web'], nowSource: 'default', next: ['orders-api'] },
    ]);
    expect(planRequirements(pending)).toEqual({ junk: ['orders-api'], web: ['orders-api'] });
  });

  it('give the realm as it would read once written, for the what-if audit', () => {
    const edited = snapshotWithEdits(
      snapshot,
      new Map([
        ['spa', null],
        ['web', ['orders-api']],
      ]),
    );
    expect(edited.clients.find((client) => client.clientId === 'spa')?.attributes).toEqual({});
    expect(edited.clients.find((client) => client.clientId === 'web')?.attributes).toEqual({
      [REQUIRES_ATTRIBUTE]: '["orders-api"]',
    });
    expect(snapshot.clients.find((client) => client.clientId === 'spa')?.attributes).toEqual({
      [REQUIRES_ATTRIBUTE]: '["orders-api"]',
    });
    const audit = auditRealm(edited);
    const webAudit = audit.clients.find((client) => client.clientId === 'web');
    expect(webAudit?.requirementSource).toBe('attribute');
    expect(webAudit?.requirements.map((item) => item.audience)).toEqual(['orders-api']);
    expect(audit.clients.find((client) => client.clientId === 'spa')?.requirementSource).toBe('default');
  });
});
