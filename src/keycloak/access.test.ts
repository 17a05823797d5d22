import { describe, expect, it } from 'vitest';
import { realmAccess, whyCannotFix } from './access.ts';

describe('realmAccess', () => {
  it('reads realm-management roles when the admin signed in to the realm itself', () => {
    const access = realmAccess({ 'realm-management': { roles: ['view-clients', 'view-users'] } }, 'demo', 'demo');
    expect(access).toMatchObject({
      canViewClients: true,
      canManageClients: false,
      canViewUsers: true,
      canViewRealm: false,
    });
    expect(whyCannotFix(access, 'demo')).toContain('manage-clients of realm-management');
  });

  it('reads "<realm>-realm" roles of a master admin', () => {
    const access = realmAccess({ 'demo-realm': { roles: ['manage-clients', 'view-clients'] } }, 'demo', 'master');
    expect(access).toMatchObject({ canManageClients: true, roleClient: 'demo-realm' });
    expect(whyCannotFix(access, 'demo')).toBeUndefined();
  });

  it('treats realm-admin as every role', () => {
    expect(realmAccess({ 'realm-management': { roles: ['realm-admin'] } }, 'demo', 'demo').canViewRealm).toBe(true);
  });

  it('gives nothing without roles, or for another realm than the one signed in to (unless master)', () => {
    expect(realmAccess(undefined, 'demo', 'demo').canViewClients).toBe(false);
    expect(realmAccess({ 'realm-management': { roles: ['manage-clients'] } }, 'other', 'demo').canManageClients).toBe(
      false,
    );
  });
});
