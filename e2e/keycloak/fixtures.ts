import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ClientScopeRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientScopeRepresentation.js';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import type UserRepresentation from '@keycloak/keycloak-admin-client/lib/defs/userRepresentation.js';
import { log, repoRoot } from './settings.ts';

/**
 * Custom scopes are created after the realm: a realm import that declares `clientScopes`
 * would leave out Keycloak's built-in scopes (profile, email, roles, web-origins, basic…).
 */
interface ScopeFixture {
  scope: ClientScopeRepresentation;
  defaultFor?: string[];
  optionalFor?: string[];
  /** Realm roles in the scope's Scope tab: its mappers then apply only to users holding one of them. */
  realmRoles?: string[];
}

/** Client policies and profiles, each policy with the first version whose conditions it uses. */
interface PolicyFixture {
  profiles: Record<string, unknown>[];
  policies: { since: string; policy: Record<string, unknown> }[];
}

interface RealmFixture {
  realm: RealmRepresentation;
  scopes: ScopeFixture[];
  policies?: PolicyFixture;
  withDashboardClient: boolean;
}

interface MasterAdditions {
  users: UserRepresentation[];
  realmAdminRoles: { username: string; realm: string; roles: string[] }[];
}

const fixturesDir = join(repoRoot, 'e2e', 'fixtures');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as T;

export const dashboardClient = (): ClientRepresentation => readJson('dashboard-client.json');

/** A fresh copy of the demo realm under another name, for tests that change it. */
export async function importDemoCopy(admin: KcAdminClient, name: string): Promise<void> {
  const [demo] = realmFixtures() as [RealmFixture];
  await importRealm(admin, { ...demo, realm: { ...demo.realm, realm: name } });
}

export function realmFixtures(): RealmFixture[] {
  return [
    { realm: readJson('demo-realm.json'), scopes: readJson('demo-scopes.json'), withDashboardClient: true },
    { realm: readJson('demo-2-realm.json'), scopes: [], withDashboardClient: false },
    {
      realm: readJson('audience-cases-realm.json'),
      scopes: readJson('audience-cases-scopes.json'),
      policies: readJson('audience-cases-policies.json'),
      withDashboardClient: false,
    },
  ];
}

async function signIn(url: string, username: string, password: string): Promise<KcAdminClient> {
  const admin = new KcAdminClient({ baseUrl: url, realmName: 'master' });
  try {
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username, password });
  } catch (error) {
    throw new Error(
      `cannot sign in to the master realm of ${url} as "${username}" ` +
        `(set KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD): ${(error as Error).message}`,
    );
  }
  return admin;
}

const versionParts = (version: string) =>
  version
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number(part) || 0);

/** Whether `version` is `since` or later. */
export function versionAtLeast(version: string, since: string): boolean {
  const [a, b] = [versionParts(version), versionParts(since)];
  for (let index = 0; index < 3; index += 1) {
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) > (b[index] ?? 0);
  }
  return true;
}

/** A policy naming a condition the server does not have is refused as a whole, so only those of this version. */
async function importPolicies(admin: KcAdminClient, realm: string, fixture: PolicyFixture): Promise<void> {
  const info = await admin.serverInfo.find();
  const version = info.systemInfo?.version ?? '0';
  await admin.clientPolicies.createProfiles({ realm, profiles: fixture.profiles });
  const policies = fixture.policies
    .filter((entry) => versionAtLeast(version, entry.since))
    .map((entry) => entry.policy);
  await admin.clientPolicies.updatePolicy({ realm, policies });
}

async function clientUuid(admin: KcAdminClient, realm: string, clientId: string): Promise<string> {
  const [client] = await admin.clients.find({ realm, clientId });
  if (!client?.id) throw new Error(`fixture error: realm ${realm} has no client ${clientId}`);
  return client.id;
}

export async function importRealm(admin: KcAdminClient, fixture: RealmFixture): Promise<void> {
  const name = fixture.realm.realm;
  if (!name) throw new Error('fixture error: a realm fixture has no "realm" name');
  if (await admin.realms.findOne({ realm: name })) await admin.realms.del({ realm: name });
  const clients = [...(fixture.realm.clients ?? []), ...(fixture.withDashboardClient ? [dashboardClient()] : [])];
  await admin.realms.create({ ...fixture.realm, clients });
  for (const { scope, defaultFor = [], optionalFor = [], realmRoles = [] } of fixture.scopes) {
    const { id: clientScopeId } = await admin.clientScopes.create({ realm: name, ...scope });
    if (realmRoles.length > 0) {
      const roles = await Promise.all(
        realmRoles.map((roleName) => admin.roles.findOneByName({ realm: name, name: roleName })),
      );
      const missing = realmRoles.filter((_, index) => !roles[index]?.id);
      if (missing.length) throw new Error(`fixture error: realm ${name} has no realm role ${missing.join(', ')}`);
      await admin.clientScopes.addRealmScopeMappings(
        { realm: name, id: clientScopeId },
        roles.map((role) => ({ id: role?.id as string, name: role?.name as string })),
      );
    }
    for (const clientId of defaultFor) {
      const id = await clientUuid(admin, name, clientId);
      await admin.clients.addDefaultClientScope({ realm: name, id, clientScopeId });
    }
    for (const clientId of optionalFor) {
      const id = await clientUuid(admin, name, clientId);
      await admin.clients.addOptionalClientScope({ realm: name, id, clientScopeId });
    }
  }
  if (fixture.policies) await importPolicies(admin, name, fixture.policies);
}

/** The dashboard client and the cross-realm admin in master; replaced when they exist. */
async function importMasterAdditions(admin: KcAdminClient): Promise<void> {
  const realm = 'master';
  const client = dashboardClient();
  for (const existing of await admin.clients.find({ realm, clientId: client.clientId })) {
    if (existing.id) await admin.clients.del({ realm, id: existing.id });
  }
  await admin.clients.create({ realm, ...client });

  const additions = readJson<MasterAdditions>('master-additions.json');
  for (const user of additions.users) {
    for (const existing of await admin.users.find({ realm, username: user.username, exact: true })) {
      if (existing.id) await admin.users.del({ realm, id: existing.id });
    }
    await admin.users.create({ realm, ...user });
  }
  for (const grant of additions.realmAdminRoles) {
    const [user] = await admin.users.find({ realm, username: grant.username, exact: true });
    if (!user?.id) throw new Error(`fixture error: master has no user ${grant.username}`);
    // A master admin holds the realm's admin roles on the "<realm>-realm" client of master.
    const clientUniqueId = await clientUuid(admin, realm, `${grant.realm}-realm`);
    const available = await admin.clients.listRoles({ realm, id: clientUniqueId });
    const roles = grant.roles.map((roleName) => {
      const role = available.find((candidate) => candidate.name === roleName);
      if (!role?.id || !role.name) throw new Error(`fixture error: ${grant.realm}-realm has no role ${roleName}`);
      return { id: role.id, name: role.name };
    });
    await admin.users.addClientRoleMappings({ realm, id: user.id, clientUniqueId, roles });
  }
}

/** Imports (or re-imports, replacing) the demo realms and the master additions. */
export async function importFixtures(url: string, username: string, password: string): Promise<void> {
  const started = Date.now();
  const admin = await signIn(url, username, password);
  const fixtures = realmFixtures();
  for (const fixture of fixtures) await importRealm(admin, fixture);
  await importMasterAdditions(admin);
  const names = fixtures.map((fixture) => fixture.realm.realm).join(', ');
  log(`imported realms ${names} and the master additions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
