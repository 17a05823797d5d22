import { queryOptions, useQuery } from '@tanstack/react-query';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmAudit } from '../audit/findings.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { type RealmAccess, realmAccess } from './access.ts';
import { listRealms } from './realms.ts';
import { type Session, useSession } from './session-context.tsx';
import { loadSnapshot } from './snapshot.ts';
import { searchUsers } from './tokens.ts';

/** Query keys, general to specific; everything about a realm starts with the realm. */
export const queryKeys = {
  realms: () => ['realms'] as const,
  audit: (realm: string) => ['realms', realm, 'audit'] as const,
  access: (realm: string) => ['realms', realm, 'access'] as const,
  users: (realm: string, search: string) => ['realms', realm, 'users', search] as const,
  /** The fix-run journals this browser keeps for the realm. */
  runs: (realm: string) => ['realms', realm, 'runs'] as const,
};

export interface AuditedRealm {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
}

export const realmsQuery = ({ admin, auth }: Session) =>
  queryOptions({ queryKey: queryKeys.realms(), queryFn: () => listRealms(admin, auth.user.realm), staleTime: 300_000 });

export const auditQuery = ({ admin }: Session, realm: string) =>
  queryOptions({
    queryKey: queryKeys.audit(realm),
    queryFn: async (): Promise<AuditedRealm> => {
      const snapshot = await loadSnapshot(admin, realm);
      return { snapshot, audit: auditRealm(snapshot) };
    },
  });

export const accessQuery = ({ auth }: Session, realm: string) =>
  queryOptions({
    queryKey: queryKeys.access(realm),
    queryFn: async (): Promise<RealmAccess> => realmAccess(await auth.freshResourceAccess(), realm, auth.user.realm),
    staleTime: 60_000,
  });

export function useRealms() {
  return useQuery(realmsQuery(useSession()));
}

export function useRealmAudit(realm: string) {
  return useQuery(auditQuery(useSession(), realm));
}

export function useRealmAccess(realm: string) {
  return useQuery(accessQuery(useSession(), realm));
}

export function useUserSearch(realm: string, search: string, enabled: boolean) {
  const { admin } = useSession();
  return useQuery({
    queryKey: queryKeys.users(realm, search),
    queryFn: () => searchUsers(admin, realm, search),
    enabled,
    staleTime: 30_000,
  });
}
