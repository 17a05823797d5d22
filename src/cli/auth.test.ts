import { describe, expect, it } from 'vitest';
import { jwtFixture as tokenWith } from '../audit/test-fixtures.ts';
import { resourceAccessOf } from './auth.ts';

describe('resourceAccessOf', () => {
  it('gives the client roles a full access token carries', () => {
    const roles = { 'shop-realm': { roles: ['view-clients'] } };
    expect(resourceAccessOf(tokenWith({ sub: 'u', resource_access: roles }))).toEqual(roles);
  });

  it('gives no client roles, not unknown, when the token names realm roles only', () => {
    expect(resourceAccessOf(tokenWith({ sub: 'u', realm_access: { roles: ['offline_access'] } }))).toEqual({});
  });

  it('is unknown for a lightweight token (admin-cli from Keycloak 26 on), which names no roles at all', () => {
    expect(resourceAccessOf(tokenWith({ sub: 'u', azp: 'admin-cli' }))).toBeUndefined();
  });

  it('is unknown without a readable token', () => {
    expect(resourceAccessOf(undefined)).toBeUndefined();
    expect(resourceAccessOf('not a token')).toBeUndefined();
  });
});
