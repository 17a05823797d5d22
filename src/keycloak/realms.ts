import type { AdminClient } from './admin.ts';
import { ApiError, adminCall } from './errors.ts';

/**
 * The realms the admin may see. Keycloak lists only realms the token holds an admin role for; an admin
 * signed in to a realm other than master sees only that one (or gets a 403, which means the same).
 */
export async function listRealms(admin: AdminClient, loginRealm: string): Promise<string[]> {
  try {
    const realms = await adminCall(() => admin.realms.find({ briefRepresentation: true }));
    const names = realms.map((realm) => realm.realm ?? '').filter(Boolean);
    return names.length > 0 ? names.sort((a, b) => a.localeCompare(b)) : [loginRealm];
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'forbidden') return [loginRealm];
    throw error;
  }
}
