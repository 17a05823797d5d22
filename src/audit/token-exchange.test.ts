import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';
import { STANDARD_TOKEN_EXCHANGE } from './token-exchange.ts';

const snapshotOf = realmSnapshotFixture;

const exchanging = { [STANDARD_TOKEN_EXCHANGE]: 'True' };

/** gateway exchanges; spa's tokens carry it, worker's do not; gateway's own tokens carry orders-api and a disabled api. */
const clients = [
  clientRepFixture('gateway', {
    publicClient: false,
    attributes: exchanging,
    protocolMappers: [audienceMapperFixture('orders-api'), audienceMapperFixture('retired-api')],
  }),
  clientRepFixture('spa', { publicClient: true, protocolMappers: [audienceMapperFixture('gateway')] }),
  clientRepFixture('worker', { publicClient: false }),
  clientRepFixture('orders-api', { bearerOnly: true }),
  clientRepFixture('retired-api', { bearerOnly: true, enabled: false }),
  clientRepFixture('public-exchanger', { publicClient: true, attributes: exchanging }),
];

describe('token exchange readiness', () => {
  it('names whose tokens a client may exchange and the enabled audiences it may narrow to', () => {
    const exchange = auditRealm(snapshotOf(clients, '26.5.0')).exchange;
    expect(exchange.gateway).toEqual({
      available: true,
      publicClient: false,
      acceptsTokensOf: [{ clientId: 'spa', applies: 'always' }],
      narrowsTo: ['orders-api'],
    });
    expect(exchange['public-exchanger']).toMatchObject({ publicClient: true });
    expect(Object.keys(exchange).sort()).toEqual(['gateway', 'public-exchanger']);
  });

  it('is not available before 26.2, and unknown without a version', () => {
    expect(auditRealm(snapshotOf(clients, '26.0.8')).exchange.gateway?.available).toBe(false);
    expect(auditRealm(snapshotOf(clients, undefined)).exchange.gateway?.available).toBeUndefined();
  });
});
