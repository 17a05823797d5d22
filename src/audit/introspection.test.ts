import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import { INTROSPECTION_WITHOUT_AUDIENCE_CHECK } from './introspection.ts';
import { REQUIRES_ATTRIBUTE } from './requirements.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';

const snapshotOf = realmSnapshotFixture;

const requires = (audiences: string[]) => ({ [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) });

/** orders-api introspects; spa's tokens carry it, worker's do not; both require it. */
const clients = [
  clientRepFixture('orders-api', { publicClient: false, serviceAccountsEnabled: true }),
  clientRepFixture('spa', {
    publicClient: true,
    attributes: requires(['orders-api']),
    protocolMappers: [audienceMapperFixture('orders-api')],
  }),
  clientRepFixture('worker', { publicClient: false, attributes: requires(['orders-api']) }),
];

describe('introspection readiness', () => {
  it('lists the callers of a client and those whose tokens its introspection calls inactive', () => {
    const readiness = auditRealm(snapshotOf(clients, '26.7.5')).introspection['orders-api'];
    expect(readiness).toMatchObject({
      checksAudience: true,
      withoutAudienceCheck: false,
      callers: [
        { clientId: 'spa', status: 'met' },
        { clientId: 'worker', status: 'unmet' },
      ],
      failing: ['worker'],
    });
    expect(readiness?.carriedBy.map((holder) => holder.clientId)).toEqual(['spa']);
  });

  it('says whether the version checks aud, and unknown when the version is', () => {
    const of = (version: string | undefined) =>
      auditRealm(snapshotOf(clients, version)).introspection['orders-api']?.checksAudience;
    expect([of('26.4.7'), of('26.4.12'), of('26.6.2'), of('26.7.0'), of(undefined)]).toEqual([
      false,
      true,
      true,
      true,
      undefined,
    ]);
  });

  it('flags the switch in any case, on a client nobody requires, and leaves public clients out', () => {
    const switched = clientRepFixture('legacy-api', {
      publicClient: false,
      attributes: { [INTROSPECTION_WITHOUT_AUDIENCE_CHECK]: 'TRUE' },
    });
    const introspection = auditRealm(snapshotOf([...clients, switched], '26.7.5')).introspection;
    expect(introspection['legacy-api']).toMatchObject({ withoutAudienceCheck: true, callers: [], failing: [] });
    expect(Object.keys(introspection).sort()).toEqual(['legacy-api', 'orders-api']);
  });
});
