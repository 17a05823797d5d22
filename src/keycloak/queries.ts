import { keepPreviousData, type QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RealmAudit } from '../audit/findings.ts';
import type { Pending } from '../audit/partial-audit.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { type RealmAccess, realmAccess, whyCannotFix } from './access.ts';
import { loadReader } from './preload.ts';
import { listRealms } from './realms.ts';
import { type Session, useSession } from './session-context.tsx';
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

/** What is known of a realm whose clients are still being read (how many: `snapshot.clients`). */
export interface ReadingState {
  /** Client id (uuid) → what its verdict still waits for. */
  waiting: Map<string, Pending[]>;
}

export interface AuditedRealm {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
  /** Set while the read goes on, and kept when it was cancelled or failed: the verdicts are partial. */
  reading?: ReadingState;
}

/** The read of a realm that the admin cancelled: what was read stays on screen. */
export class ReadCancelled extends Error {
  constructor() {
    super('Reading was cancelled.');
    this.name = 'ReadCancelled';
  }
}

// One read per realm at a time; switching realms does not stop it, so coming back finds what was read.
const reads = new Map<string, AbortController>();

export function cancelRealmRead(realm: string): void {
  reads.get(realm)?.abort(new ReadCancelled());
}

export const realmsQuery = ({ admin, auth }: Session) =>
  queryOptions({ queryKey: queryKeys.realms(), queryFn: () => listRealms(admin, auth.user.realm), staleTime: 300_000 });

export const auditQuery = (session: Session, realm: string, client: QueryClient) =>
  queryOptions({
    queryKey: queryKeys.audit(realm),
    // Every update is a new audit: comparing it deeply with the last one (5,000 clients, several times a
    // second while reading) only costs the thread that handles the pages' answers.
    structuralSharing: false,
    queryFn: async (): Promise<AuditedRealm> => {
      const { admin, config } = session;
      reads.get(realm)?.abort(new ReadCancelled());
      const controller = new AbortController();
      reads.set(realm, controller);
      // Without realm-wide view-clients, Keycloak pages after a whole read: one request is then cheaper.
      // The reader loads here, beside the admin client, to keep it out of the first paint.
      const [access, { readAudited }] = await Promise.all([
        client.ensureQueryData(accessQuery(session, realm)).catch(() => undefined),
        loadReader(),
      ]);
      try {
        return await readAudited(admin, realm, {
          concurrency: config.readConcurrency,
          pageSize: config.clientsPageSize,
          pagedClients: access ? access.canViewClients : undefined,
          signal: controller.signal,
          onAudit: ({ snapshot, audit, waiting }) => {
            // A read again shows what it had until its first clients are in, not an empty table.
            if (snapshot.clients.length === 0 && client.getQueryData(queryKeys.audit(realm))) return;
            client.setQueryData<AuditedRealm>(queryKeys.audit(realm), { snapshot, audit, reading: { waiting } });
          },
        });
      } catch (error) {
        throw controller.signal.aborted ? (controller.signal.reason ?? new ReadCancelled()) : error;
      } finally {
        if (reads.get(realm) === controller) reads.delete(realm);
      }
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
  const client = useQueryClient();
  return useQuery(auditQuery(useSession(), realm, client));
}

/** The reason shown on a disabled fix action, or undefined when fixing is allowed now. */
export function whyFixWaits(
  audited: AuditedRealm | undefined,
  access: RealmAccess | undefined,
  realm: string,
): string | undefined {
  if (audited?.reading) return 'Wait until every client is read: a fix is planned on the whole realm.';
  return access ? whyCannotFix(access, realm) : 'Checking your roles…';
}

export function useRealmAccess(realm: string) {
  return useQuery(accessQuery(useSession(), realm));
}

export function useUserSearch(realm: string, search: string, enabled: boolean) {
  const { admin } = useSession();
  return useQuery({
    queryKey: queryKeys.users(realm, search),
    queryFn: () => searchUsers(admin, realm, search),
    // The choices stay while the next search loads: a click on one must not land on an emptied list.
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 30_000,
  });
}
