import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { repoRoot } from './keycloak/settings.ts';
import { adminClientAs, keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { audit, buildCli } from './support/cli.ts';
import { serverVersion } from './support/server-version.ts';

/** A throw-away copy of demo-2, whose legacy-portal lacks its own clientId in aud. */
const REALM = 'visibility-spec';
const TARGET = 'legacy-portal';
const PASSWORD = 'visibility-pw-3d9a61f0';
/** query-clients, plus (on 26.2+) a fine-grained permission to view legacy-portal only. */
const ONE_CLIENT_VIEWER = 'one-client-viewer';
/** query-clients and nothing else. */
const QUERY_ONLY = 'query-only';

function visibilityRealm(): RealmRepresentation {
  const demo2 = JSON.parse(readFileSync(join(repoRoot, 'e2e', 'fixtures', 'demo-2-realm.json'), 'utf8'));
  return {
    ...demo2,
    realm: REALM,
    displayName: 'Visibility spec (copy of demo-2)',
    users: [ONE_CLIENT_VIEWER, QUERY_ONLY].map((username) => ({
      username,
      enabled: true,
      email: `${username}@visibility-spec.example`,
      emailVerified: true,
      firstName: 'Partial',
      lastName: 'Admin',
      credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
      clientRoles: { 'realm-management': ['query-clients'] },
    })),
  };
}

async function majorMinor(): Promise<[number, number]> {
  const [major = 0, minor = 0] = (await serverVersion()).split('.').map(Number);
  return [major, minor];
}

/** Fine-grained admin permissions v2 (the realm's admin-permissions client) came with 26.2. */
const hasPermissionsV2 = ([major, minor]: [number, number]) => major > 26 || (major === 26 && minor >= 2);

/** A user policy for `username` and a permission of resource type Clients: scope `view` on `clientId` only. */
async function allowViewOf(admin: KcAdminClient, username: string, clientId: string): Promise<void> {
  const [permissionsClient] = await admin.clients.find({ realm: REALM, clientId: 'admin-permissions' });
  const [target] = await admin.clients.find({ realm: REALM, clientId });
  const [user] = await admin.users.find({ realm: REALM, username, exact: true });
  expect(permissionsClient?.id, 'adminPermissionsEnabled makes the admin-permissions client').toBeTruthy();
  const base = `${keycloakUrl()}/admin/realms/${REALM}/clients/${permissionsClient?.id}/authz/resource-server`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await admin.getAccessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `POST ${path}`).toBe(201);
    return (await response.json()) as { id: string };
  };
  const policy = await post('/policy/user', { name: `${username} only`, users: [user?.id] });
  await post('/permission/scope', {
    name: `${username} views ${clientId}`,
    resourceType: 'Clients',
    resources: [target?.id],
    scopes: ['view'],
    policies: [policy.id],
  });
}

const asUser = (username: string, format = 'json') => [
  ...['--realm', REALM, '--auth-realm', REALM],
  ...['--username', username, '--format', format],
];
const passwordEnv = { AUDIENCE_DOCTOR_PASSWORD: PASSWORD };

test.describe('what an account may not see is never judged missing', () => {
  let version: [number, number];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await buildCli();
    const admin = await masterAdmin();
    version = await majorMinor();
    if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
    await admin.realms.create({
      ...visibilityRealm(),
      ...(hasPermissionsV2(version) ? { adminPermissionsEnabled: true } : {}),
    });
  });

  test.afterAll(async () => {
    const admin = await masterAdmin();
    if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
  });

  test('the realm admin sees legacy-portal as missing', async () => {
    const result = auditRealm(await loadSnapshot(await masterAdmin(), REALM));
    expect(result.cannotJudge).toBeUndefined();
    expect(result.clients.find((client) => client.clientId === TARGET)?.verdict).toBe('missing');
  });

  test('query-clients alone: Keycloak lists no clients, so the realm cannot be judged and the CLI exits 2', async () => {
    const user = await adminClientAs(QUERY_ONLY, PASSWORD, REALM);
    // 200 with [], not 403: ClientsResource.getClientModels keeps only the clients canView(client) allows.
    expect(await user.clients.find({ realm: REALM })).toEqual([]);
    expect(await user.clientScopes.find({ realm: REALM })).toEqual([]);

    const snapshot = await loadSnapshot(user, REALM);
    expect(snapshot.visibility).toEqual({ clientsHidden: true, scopesHidden: false });
    expect(auditRealm(snapshot).cannotJudge).toMatch(/listed no clients in realm "visibility-spec".*Next step/);

    const run = await audit([...asUser(QUERY_ONLY), '--fail-on', 'missing'], passwordEnv);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ realm: REALM, clients: [], cannotJudge: expect.stringContaining('Next step') });
    expect(run.stderr).toBe(`error: cannot judge realm ${REALM}: ${report.cannotJudge}\n`);

    const table = await audit([...asUser(QUERY_ONLY, 'table'), '--fail-on', 'problem'], passwordEnv);
    expect(table.code).toBe(2);
    expect(table.stdout).toContain(`cannot judge: ${report.cannotJudge}`);

    // Without a failure level the report is the answer, and stderr still says what it lacks.
    const lenient = await audit([...asUser(QUERY_ONLY), '--fail-on', 'none'], passwordEnv);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toBe(`warning: cannot judge realm ${REALM}: ${report.cannotJudge}\n`);
  });

  test('fine-grained permission to view one client: that client, no client scopes, cannot-judge and exit 2', async () => {
    if (!hasPermissionsV2(version)) {
      test.info().annotations.push({
        type: 'not on this version',
        description: `Keycloak ${version.join('.')} has no fine-grained admin permissions v2 (26.2+).`,
      });
      return;
    }
    await allowViewOf(await masterAdmin(), ONE_CLIENT_VIEWER, TARGET);
    const user = await adminClientAs(ONE_CLIENT_VIEWER, PASSWORD, REALM);

    const listed = await user.clients.find({ realm: REALM });
    expect(listed.map((client) => client.clientId)).toEqual([TARGET]);
    const [target] = listed;
    // The names come with the client (ModelToRepresentation.toRepresentation(ClientModel) does not filter them)…
    expect(target?.defaultClientScopes).toEqual(expect.arrayContaining(['roles', 'profile']));
    // …while the scopes themselves, and the per-client link lists, answer [] without canViewClientScopes.
    expect(await user.clientScopes.find({ realm: REALM })).toEqual([]);
    expect(await user.clients.listDefaultClientScopes({ realm: REALM, id: target?.id ?? '' })).toEqual([]);

    const snapshot = await loadSnapshot(user, REALM);
    expect(snapshot.visibility).toEqual({ clientsHidden: false, scopesHidden: true });
    const result = auditRealm(snapshot);
    expect(result.cannotJudge).toBeUndefined();
    const judged = result.clients.find((client) => client.clientId === TARGET);
    expect(judged?.verdict).toBe('cannot-judge');
    expect(judged?.reason).toContain('Next step');
    expect(new Set(judged?.problems.map((problem) => problem.code))).toEqual(new Set(['scope-not-visible']));

    const run = await audit([...asUser(ONE_CLIENT_VIEWER), '--fail-on', 'missing'], passwordEnv);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.cannotJudge).toBeNull();
    expect(
      report.clients.map((client: { clientId: string; verdict: string }) => [client.clientId, client.verdict]),
    ).toEqual([[TARGET, 'cannot-judge']]);
    expect(run.stderr).toBe(
      `error: cannot judge 1 client of realm ${REALM} (${TARGET}): it names client scopes the account may not view. Next step: audit with an account that holds view-clients in realm ${REALM}.\n`,
    );

    const sarif = JSON.parse(
      (await audit([...asUser(ONE_CLIENT_VIEWER, 'sarif'), '--fail-on', 'none'], passwordEnv)).stdout,
    );
    const rules = sarif.runs[0].results.map((finding: { ruleId: string }) => finding.ruleId);
    expect(rules).toContain('verdict/cannot-judge');
    expect(rules).not.toContain('verdict/missing');
  });
});
