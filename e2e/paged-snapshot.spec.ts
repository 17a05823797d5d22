import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import { expect, test } from '@playwright/test';
import type { RealmSnapshot } from '../src/audit/snapshot.ts';
import { adaptivePageSize, type PageSizing } from '../src/keycloak/page-sizing.ts';
import { loadSnapshot, type SnapshotProgress } from '../src/keycloak/snapshot.ts';
import { readSettings } from './keycloak/settings.ts';
import { adminClientAs, countRequests, keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { type HoldingProxy, startHoldingProxy } from './support/holding-proxy.ts';

/**
 * The paged client list (src/keycloak/client-pages.ts) and the scope role mappings (src/keycloak/scope-roles.ts)
 * against a real Keycloak: pages that overlap by one client, a list that moves while it is read, the page
 * ends, and the partial export next to the per-scope reads it replaces.
 */

const PAGE_SIZE = 10;
/** Each page after the first starts at the last client of the one before. */
const STEP = PAGE_SIZE - 1;
const PASSWORD = 'paged-snapshot-pw-7c41e2';

/** GET /admin/realms/{realm}/clients, which the admin client asks for with a trailing slash. */
const isClientList = (method: string, url: URL, realm: string) =>
  method === 'GET' && url.pathname.replace(/\/$/, '') === `/admin/realms/${realm}/clients`;
const appId = (index: number) => `app-${String(index).padStart(3, '0')}`;

async function recreateRealm(admin: KcAdminClient, rep: RealmRepresentation): Promise<void> {
  const realm = rep.realm as string;
  if (await admin.realms.findOne({ realm })) await admin.realms.del({ realm });
  await admin.realms.create({ enabled: true, ...rep });
}

async function dropRealm(realm: string): Promise<void> {
  const admin = await masterAdmin();
  if (await admin.realms.findOne({ realm })) await admin.realms.del({ realm });
}

/** The master admin signed in through the proxy, so that every request of the snapshot passes it. */
function adminThrough(proxy: HoldingProxy): Promise<KcAdminClient> {
  const settings = readSettings();
  return adminClientAs(settings.adminUsername, settings.adminPassword, 'master', proxy.url);
}

const pairs = (snapshot: RealmSnapshot) =>
  snapshot.clients.map((client) => `${client.id} ${client.clientId}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const duplicateIds = (snapshot: RealmSnapshot) => {
  const ids = snapshot.clients.map((client) => client.id);
  return ids.filter((id, index) => ids.indexOf(id) !== index);
};

const sorted = (names: string[]) => [...names].sort();

/** The `first` of every GET of the realm's client list that went through the proxy, in arrival order. */
const pageOffsets = (proxy: HoldingProxy, realm: string) =>
  proxy
    .requests()
    .filter((request) => isClientList(request.method, request.url, realm))
    .map((request) => Number(request.url.searchParams.get('first') ?? 0));

/** One change to the realm, made by the master admin directly (not through the proxy). */
type Change =
  | { create: string }
  | { delete: string }
  | {
      rename: string;
      to: string;
    };

async function applyChange(admin: KcAdminClient, realm: string, change: Change): Promise<void> {
  const find = async (clientId: string) => {
    const [found] = await admin.clients.find({ realm, clientId });
    if (!found?.id) throw new Error(`${realm} has no client ${clientId}`);
    return found as ClientRepresentation & { id: string };
  };
  if ('create' in change) {
    await admin.clients.create({ realm, clientId: change.create, publicClient: true });
  } else if ('delete' in change) {
    await admin.clients.del({ realm, id: (await find(change.delete)).id });
  } else {
    const client = await find(change.rename);
    await admin.clients.update({ realm, id: client.id }, { ...client, clientId: change.to });
  }
}

/**
 * A realm of 40 clients app-000…app-039 beside the built-ins (account, account-console and admin-cli sort
 * before them, broker, realm-management and security-admin-console after): the snapshot reads page one
 * (offsets 0-9, through app-006), then its next pages wait in the proxy while `changes` are made, and go on.
 */
async function snapshotWhileChanging(realm: string, changes: Change[]) {
  const admin = await masterAdmin();
  await recreateRealm(admin, {
    realm,
    clients: Array.from({ length: 40 }, (_, index) => ({ clientId: appId(index), publicClient: true })),
  });
  const proxy = await startHoldingProxy(keycloakUrl(), {
    hold: ({ method, url }) => isClientList(method, url, realm) && Number(url.searchParams.get('first')) >= STEP,
  });
  try {
    const reader = await adminThrough(proxy);
    const reading = loadSnapshot(reader, realm, { pageSize: PAGE_SIZE, concurrency: 2 });
    reading.catch(() => undefined);
    // Both request slots wait on a page after the first: the reader has seen page one and nothing else.
    // Pages one and two go out together, so either may reach the proxy first.
    await proxy.waitForHeld(2);
    expect(pageOffsets(proxy, realm).sort((x, y) => x - y)).toEqual([0, STEP, 2 * STEP]);
    for (const change of changes) await applyChange(admin, realm, change);
    proxy.release();
    const snapshot = await reading;
    const fresh = await loadSnapshot(admin, realm, { pageSize: PAGE_SIZE });
    return { snapshot, fresh, offsets: pageOffsets(proxy, realm) };
  } finally {
    await proxy.close();
  }
}

/** The brief's six changes: as many clients arrive before the cursor (offset 9) as leave it. */
const CHANGES_AROUND_THE_CURSOR: Change[] = [
  { create: 'app-001-new' }, // before the cursor
  { delete: 'app-003' }, // before
  { rename: 'app-004', to: 'app-035-moved' }, // from before to after
  { rename: 'app-020', to: 'app-000-moved' }, // from after to before
  { create: 'app-025-new' }, // after
  { delete: 'app-030' }, // after
];

test.describe('the paged snapshot against Keycloak', () => {
  test('creates, deletes and renames clients that sort before and after the cursor while the snapshot reads', async () => {
    test.setTimeout(120_000);
    const realm = 'paged-moving';
    try {
      // One more client before the cursor than leave it: the client at offset 9 is no longer app-006.
      const { snapshot, fresh, offsets } = await snapshotWhileChanging(realm, [
        ...CHANGES_AROUND_THE_CURSOR,
        { create: 'app-002-new' },
      ]);
      expect(duplicateIds(snapshot)).toEqual([]);
      expect(pairs(snapshot)).toEqual(pairs(fresh));
      expect(snapshot.clients.map((client) => client.clientId)).toEqual(
        expect.arrayContaining(['app-001-new', 'app-002-new', 'app-000-moved', 'app-035-moved', 'app-025-new']),
      );
      for (const gone of ['app-003', 'app-004', 'app-020', 'app-030']) {
        expect(snapshot.clients.map((client) => client.clientId)).not.toContain(gone);
      }
      // Page one and the page after it were read again, once the boundary between them did not match.
      expect(offsets.filter((first) => first === 0)).toHaveLength(2);
      expect(offsets.filter((first) => first === STEP)).toHaveLength(2);
      // What the reader can know: clients new to it before the cursor appeared (app-020 was never read under
      // its old name, so its rename shows as an arrival); a client read in page one and gone at the end
      // disappeared; one read under two names was renamed. The changes after the cursor happened before the
      // reader got there, so they are nothing it saw move.
      expect(snapshot.clientListRead?.omitted).toBe(0);
      const changes = snapshot.clientListRead?.changes;
      expect(sorted(changes?.appeared ?? [])).toEqual(['app-000-moved', 'app-001-new', 'app-002-new']);
      expect(changes?.disappeared).toEqual(['app-003']);
      expect(changes?.renamed).toEqual([{ from: 'app-004', to: 'app-035-moved' }]);
      expect(fresh.clientListRead).toBeUndefined();
    } finally {
      await dropRealm(realm);
    }
  });

  test('reads every client once when the list ends just before, at or just after a page end', async () => {
    test.setTimeout(120_000);
    const realm = 'paged-ends';
    const admin = await masterAdmin();
    const proxy = await startHoldingProxy(keycloakUrl());
    try {
      await recreateRealm(admin, {
        realm,
        users: [
          {
            username: 'query-only',
            enabled: true,
            email: 'query-only@paged-ends.example',
            emailVerified: true,
            firstName: 'Query',
            lastName: 'Only',
            credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
            clientRoles: { 'realm-management': ['query-clients'] },
          },
        ],
      });
      const reader = await adminThrough(proxy);

      // No client visible: page one comes back empty, and that is the end (pages two and three, one per
      // worker, went out with it).
      const queryOnly = await adminClientAs('query-only', PASSWORD, realm, proxy.url);
      const hidden = await loadSnapshot(queryOnly, realm, { pageSize: PAGE_SIZE, concurrency: 3 });
      expect(hidden.clients).toEqual([]);
      expect(hidden.visibility).toEqual({ clientsHidden: true, scopesHidden: false });
      expect(hidden.clientListRead).toBeUndefined();
      expect(pageOffsets(proxy, realm).sort((x, y) => x - y)).toEqual([0, STEP, 2 * STEP]);

      const builtIns = (await admin.clients.find({ realm })).length;
      let created = 0;
      // Just under, at and just over one page; a second page that ends on the shared client, and one past it.
      for (const total of [PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * STEP + 1, 2 * STEP + 2]) {
        while (builtIns + created < total) {
          await admin.clients.create({ realm, clientId: appId(created), publicClient: true });
          created += 1;
        }
        const all = await admin.clients.find({ realm });
        expect(all).toHaveLength(total);
        const expected = all.map((client) => `${client.id} ${client.clientId}`).sort();
        // Pages that bring STEP new clients each, then the empty one that ends the list.
        const pages = Math.floor((total - 1) / STEP) + 1;
        const offsets = Array.from({ length: pages + 1 }, (_, page) => page * STEP);
        for (const concurrency of [1, 3]) {
          const before = pageOffsets(proxy, realm).length;
          const snapshot = await loadSnapshot(reader, realm, { pageSize: PAGE_SIZE, concurrency });
          const label = `${total} clients, ${concurrency} at a time`;
          expect(duplicateIds(snapshot), label).toEqual([]);
          expect(pairs(snapshot), label).toEqual(expected);
          expect(snapshot.clientListRead, label).toBeUndefined();
          const asked = pageOffsets(proxy, realm).slice(before);
          if (concurrency === 1) {
            expect(asked, label).toEqual(offsets);
          } else {
            // Each page once; past the empty one, at most the requests already in flight.
            expect(new Set(asked).size, label).toBe(asked.length);
            expect([...asked].sort((a, b) => a - b).slice(0, offsets.length), label).toEqual(offsets);
            expect(asked.length, label).toBeLessThanOrEqual(offsets.length + concurrency - 1);
          }
        }
      }
    } finally {
      await proxy.close();
      await dropRealm(realm);
    }
  });
});

test.describe('pages of changing sizes against Keycloak', () => {
  /** Sizes in turn, as the adaptive sizing changes them in the middle of a read. */
  const sizesInTurn = (sizes: number[]): PageSizing => {
    let asked = 0;
    return { next: () => sizes[asked++ % sizes.length] as number, record: () => undefined, chosen: undefined };
  };

  test('reads every client once when the page size changes between pages', async () => {
    test.setTimeout(120_000);
    const realm = 'paged-sizes';
    const admin = await masterAdmin();
    const proxy = await startHoldingProxy(keycloakUrl());
    try {
      await recreateRealm(admin, {
        realm,
        clients: Array.from({ length: 40 }, (_, index) => ({ clientId: appId(index), publicClient: true })),
      });
      const reader = await adminThrough(proxy);
      const expected = pairs(await loadSnapshot(admin, realm, { pageSize: 100 }));
      expect(expected).toHaveLength(46);

      // Page n starts on the last client of page n - 1: 0 (10 asked), 9 (25), 33 (4), 36 (30), 65 (10): empty.
      const before = pageOffsets(proxy, realm).length;
      const inTurn = await loadSnapshot(reader, realm, { pageSize: sizesInTurn([10, 25, 4, 30]), concurrency: 1 });
      expect(pairs(inTurn)).toEqual(expected);
      expect(duplicateIds(inTurn)).toEqual([]);
      expect(inTurn.clientListRead).toBeUndefined();
      expect(pageOffsets(proxy, realm).slice(before)).toEqual([0, 9, 33, 36, 65]);

      for (const concurrency of [1, 3]) {
        const adaptive = await loadSnapshot(reader, realm, { pageSize: adaptivePageSize(4, 12), concurrency });
        expect(pairs(adaptive), `adaptive, ${concurrency} at a time`).toEqual(expected);
        expect(adaptive.clientListRead, `adaptive, ${concurrency} at a time`).toBeUndefined();
      }
    } finally {
      await proxy.close();
      await dropRealm(realm);
    }
  });
});

const SCOPES_REALM = 'paged-scope-roles';
const VIEWER = 'clients-viewer';

/**
 * Audience scopes with realm-role, client-role, mixed and no role scope mappings, and one scope without an
 * audience mapper that has a mapping (it needs no check). The names are what the Scope tab would show.
 */
const AUDIENCE_SCOPES: Record<string, { realm: string[]; client: Record<string, string[]> }> = {
  'aud-realm-one': { realm: ['reader'], client: {} },
  'aud-realm-two': { realm: ['reader', 'writer'], client: {} },
  'aud-client-one': { realm: [], client: { 'resource-api': ['read'] } },
  'aud-client-two': { realm: [], client: { 'resource-api': ['read', 'write'], 'other-api': ['use'] } },
  'aud-mixed': { realm: ['writer'], client: { 'other-api': ['use'] } },
  'aud-none-one': { realm: [], client: {} },
  'aud-none-two': { realm: [], client: {} },
};
const expectedNames = (name: string) => {
  const mapping = AUDIENCE_SCOPES[name] ?? { realm: [], client: {} };
  return sorted([
    ...mapping.realm,
    ...Object.entries(mapping.client).flatMap(([clientId, roles]) => roles.map((role) => `${clientId}/${role}`)),
  ]);
};

async function createScopesRealm(admin: KcAdminClient): Promise<Map<string, string>> {
  await recreateRealm(admin, {
    realm: SCOPES_REALM,
    roles: {
      realm: [{ name: 'reader' }, { name: 'writer' }, { name: 'auditor' }],
      client: {
        'resource-api': [{ name: 'read' }, { name: 'write' }],
        'other-api': [{ name: 'use' }],
      },
    },
    clients: [
      { clientId: 'resource-api', bearerOnly: true },
      { clientId: 'other-api', bearerOnly: true },
    ],
    users: [
      {
        username: VIEWER,
        enabled: true,
        email: `${VIEWER}@paged-scope-roles.example`,
        emailVerified: true,
        firstName: 'Clients',
        lastName: 'Viewer',
        credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
        // Everything the audit reads, but not manage-realm, which the partial export needs.
        clientRoles: { 'realm-management': ['view-clients', 'view-realm'] },
      },
    ],
  });
  const realm = SCOPES_REALM;
  const realmRoles = new Map((await admin.roles.find({ realm })).map((role) => [role.name, role]));
  const clientUuid = new Map<string, string>();
  for (const clientId of ['resource-api', 'other-api']) {
    const [client] = await admin.clients.find({ realm, clientId });
    clientUuid.set(clientId, client?.id as string);
  }
  const scopeIds = new Map<string, string>();
  for (const [name, mapping] of Object.entries(AUDIENCE_SCOPES)) {
    const { id } = await admin.clientScopes.create({
      realm,
      name,
      protocol: 'openid-connect',
      protocolMappers: [
        {
          name: `${name} audience`,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.client.audience': 'resource-api', 'access.token.claim': 'true' },
        },
      ],
    });
    scopeIds.set(name, id);
    if (mapping.realm.length > 0) {
      await admin.clientScopes.addRealmScopeMappings(
        { realm, id },
        mapping.realm.map((role) => realmRoles.get(role) as { id: string; name: string }),
      );
    }
    for (const [clientId, roles] of Object.entries(mapping.client)) {
      const client = clientUuid.get(clientId) as string;
      const all = await admin.clients.listRoles({ realm, id: client });
      await admin.clientScopes.addClientScopeMappings(
        { realm, id, client },
        all.filter((role) => roles.includes(role.name ?? '')),
      );
    }
  }
  const { id: plain } = await admin.clientScopes.create({
    realm,
    name: 'plain-with-roles',
    protocol: 'openid-connect',
  });
  await admin.clientScopes.addRealmScopeMappings({ realm, id: plain }, [
    realmRoles.get('auditor') as { id: string; name: string },
  ]);
  return scopeIds;
}

/** Each audience scope's Scope tab, read from GET …/client-scopes/{id}/scope-mappings by the test itself. */
async function scopeTabs(admin: KcAdminClient, scopeIds: Map<string, string>): Promise<Map<string, string[]>> {
  const tabs = new Map<string, string[]>();
  for (const [name, id] of scopeIds) {
    const response = await fetch(`${keycloakUrl()}/admin/realms/${SCOPES_REALM}/client-scopes/${id}/scope-mappings`, {
      headers: { authorization: `Bearer ${await admin.getAccessToken()}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      realmMappings?: { name: string }[];
      clientMappings?: Record<string, { mappings?: { name: string }[] }>;
    };
    tabs.set(
      name,
      sorted([
        ...(body.realmMappings ?? []).map((role) => role.name),
        ...Object.entries(body.clientMappings ?? {}).flatMap(([clientId, client]) =>
          (client.mappings ?? []).map((role) => `${clientId}/${role.name}`),
        ),
      ]),
    );
  }
  return tabs;
}

/** The snapshot's view of the audience scopes: whether each is role-restricted, and by which roles. */
function restrictionsOf(snapshot: RealmSnapshot, scopeIds: Map<string, string>) {
  return new Map(
    [...scopeIds].map(([name, id]) => [
      name,
      {
        restricted: snapshot.scopeRoleRestrictions?.[id],
        roles: sorted(snapshot.scopeRestrictingRoles?.[id] ?? []),
      },
    ]),
  );
}

test.describe('role scope mappings of audience scopes', () => {
  let scopeIds: Map<string, string>;
  let tabs: Map<string, string[]>;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const admin = await masterAdmin();
    scopeIds = await createScopesRealm(admin);
    tabs = await scopeTabs(admin, scopeIds);
    // The realm is what it is meant to be before any snapshot is judged by it.
    for (const name of scopeIds.keys()) expect(tabs.get(name), name).toEqual(expectedNames(name));
  });

  test.afterAll(async () => {
    await dropRealm(SCOPES_REALM);
  });

  test('one partial export gives what the per-scope reads give', async () => {
    const admin = await masterAdmin();
    const { result: snapshot, requests } = await countRequests(() => loadSnapshot(admin, SCOPES_REALM));
    expect(requests).toContain(`POST /admin/realms/${SCOPES_REALM}/partial-export`);
    expect(requests.filter((request) => request.endsWith('/scope-mappings'))).toEqual([]);

    for (const [name, { restricted, roles }] of restrictionsOf(snapshot, scopeIds)) {
      const tab = tabs.get(name) ?? [];
      expect({ name, restricted, roles }).toEqual({ name, restricted: tab.length > 0, roles: tab });
    }
    // Only scopes that can write aud are checked: the mapping of plain-with-roles is none of the audit's business.
    const plain = snapshot.clientScopes.find((scope) => scope.name === 'plain-with-roles');
    expect(plain).toBeDefined();
    expect(snapshot.scopeRoleRestrictions?.[plain?.id ?? '']).toBeUndefined();
  });

  test('without manage-realm the refused partial export falls back to per-scope reads that agree', async () => {
    const viewer = await adminClientAs(VIEWER, PASSWORD, SCOPES_REALM);
    // The account may not export: Keycloak refuses it.
    await expect(viewer.realms.export({ realm: SCOPES_REALM })).rejects.toMatchObject({
      response: { status: 403 },
    });
    const { result: snapshot, requests } = await countRequests(() => loadSnapshot(viewer, SCOPES_REALM));
    expect(requests).toContain(`POST /admin/realms/${SCOPES_REALM}/partial-export`);
    const scopeReads = requests.filter((request) => request.endsWith('/scope-mappings'));
    for (const id of scopeIds.values()) {
      expect(scopeReads).toContain(`GET /admin/realms/${SCOPES_REALM}/client-scopes/${id}/scope-mappings`);
    }

    const asAdmin = await loadSnapshot(await masterAdmin(), SCOPES_REALM);
    expect(restrictionsOf(snapshot, scopeIds)).toEqual(restrictionsOf(asAdmin, scopeIds));
    for (const [name, { restricted, roles }] of restrictionsOf(snapshot, scopeIds)) {
      const tab = tabs.get(name) ?? [];
      expect({ name, restricted, roles }).toEqual({ name, restricted: tab.length > 0, roles: tab });
    }
    // The rest of the snapshot is whole: every client, the default roles (view-realm), nothing hidden.
    expect(pairs(snapshot)).toEqual(pairs(asAdmin));
    expect(snapshot.defaultRoles).toEqual(asAdmin.defaultRoles);
    expect(snapshot.visibility).toBeUndefined();
  });

  test('while one scope’s mappings are still on their way, every scope read since counts with its roles', async () => {
    test.setTimeout(60_000);
    const heldName = 'aud-mixed';
    const heldId = scopeIds.get(heldName) as string;
    const proxy = await startHoldingProxy(keycloakUrl(), {
      hold: ({ method, url }) => method === 'GET' && url.pathname.endsWith(`/client-scopes/${heldId}/scope-mappings`),
    });
    try {
      // Without manage-realm: one read per scope, each answered on its own.
      const viewer = await adminClientAs(VIEWER, PASSWORD, SCOPES_REALM, proxy.url);
      let latest: SnapshotProgress | undefined;
      const reading = loadSnapshot(viewer, SCOPES_REALM, {
        onProgress: (progress) => {
          latest = progress;
        },
      });
      reading.catch(() => undefined);
      await proxy.waitForHeld(1);
      const others = scopeIds.size - 1;
      await expect.poll(() => latest?.current().pendingScopeIds, { timeout: 20_000 }).toEqual([heldId]);
      // What an update made now would judge by: the scopes read are known, the held one is still pending.
      const { snapshot, pendingScopeIds } = (latest as SnapshotProgress).current();
      expect(pendingScopeIds).toEqual([heldId]);
      const known = restrictionsOf(snapshot, new Map([...scopeIds].filter(([name]) => name !== heldName)));
      expect(known.size).toBe(others);
      for (const [name, { restricted, roles }] of known) {
        const tab = tabs.get(name) ?? [];
        expect({ name, restricted, roles }).toEqual({ name, restricted: tab.length > 0, roles: tab });
      }

      proxy.release();
      const final = await reading;
      expect(restrictionsOf(final, scopeIds).get(heldName)).toEqual({
        restricted: true,
        roles: expectedNames(heldName),
      });
    } finally {
      await proxy.close();
    }
  });
});
