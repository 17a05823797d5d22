import pLimit, { type LimitFunction } from 'p-limit';
import type {
  ClientListRead,
  ClientRep,
  ClientScopeRep,
  RealmSnapshot,
  SnapshotVisibility,
} from '../audit/snapshot.ts';
import type { AdminClient } from './admin.ts';
import { type PagedRead, readAllPages } from './client-pages.ts';
import { ApiError, adminCall, unlessRefused } from './errors.ts';
import { adaptivePageSize, type PageSizing } from './page-sizing.ts';
import { toClientRep, toPoliciesSnapshot, toScopeRep } from './representations.ts';
import {
  type DefaultRoles,
  defaultRoleNames,
  readDefaultRoles,
  roleRestrictions,
  scopesNeedingRoleCheck,
} from './scope-roles.ts';

/**
 * Clients per request, kept fixed by default. When the realm's clients do not fit Keycloak's realms cache (its
 * default of 10,000 entries, on a realm of many clients), a request's cost grows faster than its page: on that
 * server, at 5,000 clients 4 at a time, pages of 100 took 2.5 s in Node against 2.9 s for 250 and 4.1 s for 500
 * (scripts/bench-paging.ts), and an adaptive read that timed one page of 500 against them lost 0.5-0.9 s to it.
 * When they fit, pages of 500 are 15-30 % faster: config.json's `clientsPageSize` and the CLI's `--page-size`
 * take a size, or "adaptive" (page-sizing.ts) for a server whose cache is not known. See the README's Benchmarks.
 */
export const CLIENTS_PAGE_SIZE = 100;
/** The larger size the adaptive sizing tries. */
export const LARGER_CLIENTS_PAGE_SIZE = 500;
/** What config.json and the CLI accept for the page size: a fixed size or the adaptive sizing. */
export type ClientsPageSize = number | 'adaptive';
export const MIN_CLIENTS_PAGE_SIZE = 2;
export const MAX_CLIENTS_PAGE_SIZE = 1000;
/** Requests in flight at once for one realm; kept low because a production Keycloak is shared. */
export const DEFAULT_READ_CONCURRENCY = 4;
export const MAX_READ_CONCURRENCY = 16;
/**
 * Beside them, the realm-wide reads (scopes, policies, profiles, server facts, default roles, the partial
 * export of role scope mappings) go three at a time: with two, the default roles (two requests, one after the
 * other) waited behind the server facts, and the first verdicts with them (about 0.2 s at 5,000 clients).
 */
const REALM_WIDE_CONCURRENCY = 3;

export interface SnapshotOptions {
  /** Clients per page, kept fixed, the adaptive sizing, or a sizing for this one read; by default CLIENTS_PAGE_SIZE. */
  pageSize?: ClientsPageSize | PageSizing;
  concurrency?: number;
  /**
   * False when the admin lacks realm-wide view-clients: Keycloak then reads every client and filters in
   * memory before it pages (ClientsResource.getClientModels), so each page costs a whole read and the list
   * is read in one request instead.
   */
  pagedClients?: boolean;
  signal?: AbortSignal;
  /** Called whenever more is known, once the realm-wide reads are in. */
  onProgress?: (progress: SnapshotProgress) => void;
}

/** A snapshot while it is being read: the clients so far, and what their verdicts still wait for. */
export interface SnapshotProgress {
  clientsComplete: boolean;
  /** How many scopes' role scope mappings are still being read: fewer means more verdicts can be final. */
  scopeRolesPending: number;
  /**
   * The snapshot as it stands, built when asked: it copies every client read, and pages arrive more often
   * than an audit runs. `pendingScopeIds`: scopes whose role scope mappings are still being read.
   */
  current: () => { snapshot: RealmSnapshot; pendingScopeIds: string[] };
}

/** A page that failed for a passing reason is asked again this many times. */
const PAGE_RETRIES = 2;
const PAGE_RETRY_DELAY_MS = 500;

async function withRetries<T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await adminCall(call);
    } catch (error) {
      const passing = error instanceof ApiError && (error.kind === 'server' || error.kind === 'network');
      if (!passing || attempt >= PAGE_RETRIES || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, PAGE_RETRY_DELAY_MS * (attempt + 1)));
    }
  }
}

interface ServerFacts {
  mapperTypes: string[] | undefined;
  keycloakVersion: string | undefined;
}

// Server-wide and slow to produce (the largest admin response): read once per admin client, for every realm.
const serverFactsByClient = new WeakMap<AdminClient, Promise<ServerFacts | undefined>>();

function serverFacts(admin: AdminClient): Promise<ServerFacts | undefined> {
  let facts = serverFactsByClient.get(admin);
  if (!facts) {
    facts = unlessRefused(() => admin.serverInfo.find()).then((info) =>
      info
        ? {
            mapperTypes: info.protocolMapperTypes?.['openid-connect']?.map((type) => type.id ?? ''),
            keycloakVersion: info.systemInfo?.version || undefined,
          }
        : undefined,
    );
    // Only an answer is kept: after a refusal or a failure the next audit asks again.
    const forget = () => serverFactsByClient.delete(admin);
    facts.then((value) => value ?? forget(), forget);
    serverFactsByClient.set(admin, facts);
  }
  return facts;
}

/**
 * What the answers themselves show the admin could not see: Keycloak answers 200 with `[]`, not 403, for lists
 * the admin may not view (`ClientsResource.getClientModels` keeps only clients `canView(client)`,
 * `ClientScopesResource.getClientScopes` answers empty unless `canViewClientScopes`). The scope names inside
 * each client come unfiltered (`ModelToRepresentation.toRepresentation(ClientModel)`), so they tell whether
 * an empty scope list is real. Undefined when nothing shows hidden.
 */
export function visibilityOf(clients: ClientRep[], scopes: ClientScopeRep[]): SnapshotVisibility | undefined {
  // Every realm has realm-management, so an empty client list is never the whole truth.
  const clientsHidden = clients.length === 0;
  const scopesHidden =
    scopes.length === 0 &&
    clients.some(
      (client) => (client.defaultClientScopes?.length ?? 0) + (client.optionalClientScopes?.length ?? 0) > 0,
    );
  return clientsHidden || scopesHidden ? { clientsHidden, scopesHidden } : undefined;
}

function explainListFailure(error: unknown, realm: string): never {
  if (error instanceof ApiError && error.kind === 'not-found') {
    throw new ApiError('not-found', `Realm "${realm}" does not exist on this Keycloak.`, error.status);
  }
  if (error instanceof ApiError && error.kind === 'forbidden') {
    throw new ApiError(
      'forbidden',
      `You need view-clients in realm "${realm}" to audit it (Keycloak answered 403).`,
      error.status,
    );
  }
  throw error;
}

/** The clients, page by page with the snapshot's limiter, or in one request (see SnapshotOptions.pagedClients). */
async function readClients(
  admin: AdminClient,
  realm: string,
  options: SnapshotOptions,
  limit: LimitFunction,
  onPage: (clients: () => ClientRep[]) => void,
): Promise<PagedRead<ClientRep>> {
  if (options.pagedClients === false) {
    const clients = (await limit(() => withRetries(() => admin.clients.find({ realm }), options.signal))).map(
      toClientRep,
    );
    onPage(() => clients);
    return { items: clients, requests: 1, rereads: 0, omitted: 0, pageSize: undefined, changes: undefined };
  }
  return readAllPages(
    async (first, max) =>
      (await withRetries(() => admin.clients.find({ realm, first, max }), options.signal)).map(toClientRep),
    {
      pageSize:
        options.pageSize === 'adaptive'
          ? adaptivePageSize(CLIENTS_PAGE_SIZE, LARGER_CLIENTS_PAGE_SIZE)
          : (options.pageSize ?? CLIENTS_PAGE_SIZE),
      concurrency: options.concurrency ?? DEFAULT_READ_CONCURRENCY,
      limit,
      signal: options.signal,
      nameOf: (client) => client.clientId,
      onPage: ({ items }) => onPage(items),
    },
  );
}

/** Whether some client names a scope the list lacks; a loop, as it runs once per client of the realm. */
function namesUnlistedScope(clients: ClientRep[], listed: Set<string>): boolean {
  for (const client of clients) {
    for (const name of client.defaultClientScopes ?? []) if (!listed.has(name)) return true;
    for (const name of client.optionalClientScopes ?? []) if (!listed.has(name)) return true;
  }
  return false;
}

/**
 * Everything the audit needs from one realm: the clients (in pages), client scopes, deployed mapper types
 * (once per admin client), client policies and profiles, default roles, and the role scope mappings of the
 * scopes that carry an audience mapper. Pages and scope reads go `concurrency` at a time; the realm-wide reads
 * beside them, two at a time.
 */
export function loadSnapshot(admin: AdminClient, realm: string, options: SnapshotOptions = {}): Promise<RealmSnapshot> {
  const read = readSnapshot(admin, realm, options);
  const { signal } = options;
  if (!signal) return read;
  // A request in flight cannot be called back: the caller hears of the cancel at once, the answer is dropped.
  read.catch(() => undefined);
  return new Promise<RealmSnapshot>((resolve, reject) => {
    const cancel = () => reject(signal.reason);
    if (signal.aborted) cancel();
    signal.addEventListener('abort', cancel, { once: true });
    read.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancel));
  });
}

async function readSnapshot(admin: AdminClient, realm: string, options: SnapshotOptions = {}): Promise<RealmSnapshot> {
  const concurrency = Math.min(MAX_READ_CONCURRENCY, Math.max(1, options.concurrency ?? DEFAULT_READ_CONCURRENCY));
  const limit = pLimit(concurrency);
  // The realm-wide reads have a lane of their own, so that slow pages never hold back the first verdicts.
  const realmWide = pLimit(REALM_WIDE_CONCURRENCY);
  const { signal } = options;

  let clientsSoFar: () => ClientRep[] = () => [];
  let clientsComplete = false;
  let scopes: ClientScopeRep[] | undefined;
  let pendingScopes = new Set<string>();
  let ready = false;
  const restrictions = new Map<string, string[]>();
  let base:
    | Omit<
        RealmSnapshot,
        'clients' | 'clientScopes' | 'scopeRoleRestrictions' | 'scopeRestrictingRoles' | 'defaultRoles' | 'visibility'
      >
    | undefined;
  let defaults: DefaultRoles | undefined;

  const snapshotOf = (clients: ClientRep[], complete: boolean): RealmSnapshot => {
    const known = [...restrictions.entries()];
    const clientIdByUuid = new Map(clients.map((client) => [client.id, client.clientId]));
    return {
      ...(base as NonNullable<typeof base>),
      clients,
      clientScopes: scopes ?? [],
      scopeRoleRestrictions: Object.fromEntries(known.map(([id, roles]) => [id, roles.length > 0])),
      scopeRestrictingRoles: Object.fromEntries(known.filter(([, roles]) => roles.length > 0)),
      defaultRoles: defaults ? defaultRoleNames(defaults, clientIdByUuid, complete) : undefined,
      visibility: complete ? visibilityOf(clients, scopes ?? []) : undefined,
    };
  };
  const report = () => {
    if (!ready || !options.onProgress || signal?.aborted) return;
    options.onProgress({
      clientsComplete,
      scopeRolesPending: pendingScopes.size,
      current: () => {
        const snapshot = snapshotOf(clientsSoFar(), false);
        // Until the default roles can be named, a role-restricted scope may yet turn out to apply to everyone.
        const restricted = defaults && !snapshot.defaultRoles ? Object.keys(snapshot.scopeRestrictingRoles ?? {}) : [];
        return { snapshot, pendingScopeIds: [...pendingScopes, ...restricted] };
      },
    });
  };

  const checkRoles = async (toCheck: ClientScopeRep[]) => {
    for (const scope of toCheck) pendingScopes.add(scope.id);
    await roleRestrictions(admin, realm, toCheck, { pages: limit, realmWide }, (scopeId, roles) => {
      // Together: a scope no longer pending but not yet known would be judged unrestricted by an update.
      restrictions.set(scopeId, roles);
      pendingScopes.delete(scopeId);
    });
    report();
  };

  const clientsRead = readClients(admin, realm, options, limit, (clients) => {
    clientsSoFar = clients;
    report();
  });
  // Awaited only after the realm-wide reads: a failure meanwhile is not unhandled.
  clientsRead.catch(() => undefined);
  const scopesRead = realmWide(() => adminCall(() => admin.clientScopes.find({ realm }))).then((found) => {
    scopes = found.map(toScopeRep);
    pendingScopes = new Set(scopesNeedingRoleCheck(scopes).map((scope) => scope.id));
    return scopes;
  });
  // The largest answer, and verdicts wait for it: it goes out right after the scopes.
  const serverRead = realmWide(() => serverFacts(admin));
  const policiesRead = realmWide(() =>
    unlessRefused(() => admin.clientPolicies.listPolicies({ realm, includeGlobalPolicies: true })),
  );
  const profilesRead = realmWide(() =>
    unlessRefused(() => admin.clientPolicies.listProfiles({ realm, includeGlobalProfiles: true })),
  );
  const defaultsRead = readDefaultRoles(admin, realm, realmWide);
  // The role checks need only the scopes: they start as soon as those are in.
  const rolesChecked = scopesRead.then(
    (found) => checkRoles(scopesNeedingRoleCheck(found)),
    () => undefined,
  );
  // Like the clients read, awaited later: a failure meanwhile is not unhandled.
  rolesChecked.catch(() => undefined);

  // The clients and scopes reads decide the error: an optional read refused without CORS headers must not
  // turn "you need view-clients" into "Keycloak could not be reached".
  const realmWideReads = [scopesRead, policiesRead, profilesRead, serverRead, defaultsRead] as const;
  const failure = (await Promise.allSettled(realmWideReads)).find((result) => result.status === 'rejected');
  if (failure) {
    // The clients read's own failure (no such realm, no view-clients) explains more than the others'.
    const clientsFailure = await clientsRead.then(
      () => undefined,
      (error: unknown) => error,
    );
    explainListFailure(clientsFailure ?? failure.reason, realm);
  }
  // All settled and none failed: this only unpacks them.
  const [, policies, profiles, serverInfo, defaultRoles] = await Promise.all(realmWideReads);
  defaults = defaultRoles;
  base = {
    realm,
    keycloakVersion: serverInfo?.keycloakVersion,
    mapperTypes: serverInfo?.mapperTypes,
    clientPolicies: policies && profiles ? toPoliciesSnapshot(policies, profiles) : undefined,
  };
  ready = true;
  report();

  let read: PagedRead<ClientRep>;
  try {
    read = await clientsRead;
  } catch (error) {
    explainListFailure(error, realm);
  }
  clientsSoFar = () => read.items;
  clientsComplete = true;
  await rolesChecked;

  // A scope created after the scopes were read is named by a client but absent from the list: read the
  // scopes once more before the audit calls it "not visible".
  const listed = new Set((scopes ?? []).map((scope) => scope.name));
  if (namesUnlistedScope(read.items, listed)) {
    const again = (await limit(() => adminCall(() => admin.clientScopes.find({ realm })))).map(toScopeRep);
    const checked = new Set(restrictions.keys());
    scopes = again;
    await checkRoles(scopesNeedingRoleCheck(again).filter((scope) => !checked.has(scope.id)));
  }

  const clientListRead: ClientListRead | undefined =
    read.omitted > 0 || read.changes ? { omitted: read.omitted, changes: read.changes } : undefined;
  return { ...snapshotOf(read.items, true), ...(clientListRead ? { clientListRead } : {}) };
}
