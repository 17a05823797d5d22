/** What the signed-in admin may do in one realm, as the Admin API will judge it: from the token's roles. */
export interface RealmAccess {
  canViewClients: boolean;
  canManageClients: boolean;
  canViewUsers: boolean;
  canViewRealm: boolean;
  /** The client whose roles decide it: realm-management in the realm, or "<realm>-realm" in master. */
  roleClient: string;
}

/** The client holding realm X's admin roles: realm-management when signed in to X, "<X>-realm" of master otherwise. */
export function adminRoleClient(realm: string, loginRealm: string): string {
  return loginRealm === realm ? 'realm-management' : `${realm}-realm`;
}

type ResourceAccess = Record<string, { roles?: string[] } | undefined>;

/**
 * Admin roles of realm X sit on the client realm-management when the admin signed in to X, and on
 * "<X>-realm" of master when they signed in to master. Tokens carry composite roles expanded, and the
 * master role "admin" expands to all of them.
 */
export function realmAccess(
  resourceAccess: ResourceAccess | undefined,
  realm: string,
  loginRealm: string,
): RealmAccess {
  const roleClient = adminRoleClient(realm, loginRealm);
  const crossRealmFromOther = loginRealm !== realm && loginRealm !== 'master';
  const roles = new Set(crossRealmFromOther ? [] : (resourceAccess?.[roleClient]?.roles ?? []));
  const has = (...names: string[]) => names.some((name) => roles.has(name)) || roles.has('realm-admin');
  return {
    canViewClients: has('view-clients', 'manage-clients'),
    canManageClients: has('manage-clients'),
    canViewUsers: has('view-users', 'manage-users'),
    canViewRealm: has('view-realm', 'manage-realm'),
    roleClient,
  };
}

/** The reason shown on a disabled fix action, or undefined when fixing is allowed. */
export function whyCannotFix(access: RealmAccess, realm: string): string | undefined {
  return access.canManageClients
    ? undefined
    : `Fixing needs the role manage-clients of ${access.roleClient} for realm ${realm}; you can only look.`;
}
