import KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import type { ClientAudit, ProblemCode, Verdict } from '../src/audit/findings.ts';
import { ApiError } from '../src/keycloak/errors.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { generateExampleToken } from '../src/keycloak/tokens.ts';
import { adminClientAs, countRequests, masterAdmin } from './support/admin-api.ts';
import { demoUser } from './support/demo.ts';

const REALM = 'audience-cases';

/** Every case of the fixture realm, by its `expected-case` attribute, with the verdict and problems we intend. */
const CASES: Record<string, { verdict: Verdict; problems?: ProblemCode[] }> = {
  'dedicated-mapper': { verdict: 'ok' },
  'default-scope': { verdict: 'ok' },
  'optional-scope': { verdict: 'conditional', problems: ['optional-not-default'] },
  'custom-audience': { verdict: 'ok' },
  'custom-audience-url': { verdict: 'missing' },
  'flag-off': { verdict: 'missing', problems: ['token-flag-off'] },
  'flag-absent': { verdict: 'missing', problems: ['token-flag-off'] },
  'id-token-only': { verdict: 'missing', problems: ['token-flag-off'] },
  'uuid-value': { verdict: 'missing', problems: ['uuid-value'] },
  'uuid-of-other-client': { verdict: 'missing', problems: ['uuid-value'] },
  'typo-value': { verdict: 'missing', problems: ['unknown-client'] },
  // Keycloak drops an empty config value when it stores the mapper, so the custom audience applies.
  'empty-client-beside-custom': { verdict: 'ok' },
  'other-client-audience': { verdict: 'missing' },
  'two-mappers-one-off': { verdict: 'ok', problems: ['token-flag-off'] },
  'default-scope-flag-off': { verdict: 'missing', problems: ['token-flag-off'] },
  'lightweight-with-flag': { verdict: 'ok' },
  'lightweight-without-flag': { verdict: 'missing', problems: ['lightweight-flag-missing'] },
  'lightweight-unfixed': { verdict: 'missing' },
  'role-restricted-scope': { verdict: 'conditional', problems: ['role-restricted'] },
  'hardcoded-aud': { verdict: 'unpredictable', problems: ['aud-override'] },
  'hardcoded-aud-flag-off': { verdict: 'missing' },
  'user-attribute-aud': { verdict: 'unpredictable', problems: ['aud-override'] },
  'client-roles-on-itself': { verdict: 'missing' },
  'service-account-only': { verdict: 'missing' },
  'service-account-fixed': { verdict: 'ok' },
  'bearer-only': { verdict: 'not-applicable' },
  'no-flows': { verdict: 'not-applicable' },
  disabled: { verdict: 'not-applicable' },
  saml: { verdict: 'not-applicable' },
  'full-scope-off': { verdict: 'missing' },
  'full-scope-off-fixed': { verdict: 'ok' },
  'public-spa': { verdict: 'missing' },
  'implicit-only': { verdict: 'missing' },
  'password-grant-only': { verdict: 'missing' },
  'device-grant-only': { verdict: 'missing' },
  'consent-required-fixed': { verdict: 'ok' },
  'shared-scope-a': { verdict: 'ok' },
  'shared-scope-b': { verdict: 'ok' },
  'undeployed-mapper-type': { verdict: 'missing', problems: ['mapper-type-not-deployed'] },
};

interface Subject {
  label: string;
  userId: string;
  realmRoles: Set<string>;
}

async function subjectFor(admin: KcAdminClient, label: string, userId: string): Promise<Subject> {
  const roles = await admin.users.listCompositeRealmRoleMappings({ realm: REALM, id: userId });
  return { label, userId, realmRoles: new Set(roles.map((role) => role.name ?? '')) };
}

async function userSubject(admin: KcAdminClient, username: string): Promise<Subject> {
  const [user] = await admin.users.find({ realm: REALM, username, exact: true });
  if (!user?.id) throw new Error(`${REALM} has no user ${username}`);
  return subjectFor(admin, username, user.id);
}

/** What the engine predicts for one example token: its audiences, the conditional ones that apply, and role audiences. */
function predictedAudiences(
  audit: ClientAudit,
  requestedScopes: string[],
  subject: Subject,
  scopeRoles: Map<string, string[]>,
  resourceAccess: Record<string, string[]>,
): Set<string> {
  const expected = new Set(audit.audiences);
  for (const { value, container } of audit.conditionalAudiences) {
    const requested = container.applies === 'optional' && requestedScopes.includes(container.name);
    const permitted =
      container.applies === 'role-restricted' &&
      (scopeRoles.get(container.id) ?? []).some((role) => subject.realmRoles.has(role));
    if (requested || permitted) expected.add(value);
  }
  if (audit.roleAudiences) {
    for (const [clientId, roles] of Object.entries(resourceAccess)) {
      if (clientId !== audit.clientId && roles.length > 0) expected.add(clientId);
    }
  }
  return expected;
}

test.describe('the audience engine against Keycloak', () => {
  test('predicts the aud of every example token Keycloak generates for the audience-cases realm', async () => {
    test.setTimeout(300_000);
    const admin = await masterAdmin();
    // The snapshot comes first: the engine never sees token data.
    const snapshot = await loadSnapshot(admin, REALM);
    const audit = auditRealm(snapshot);

    const caseOf = new Map(
      snapshot.clients
        .filter((client) => client.attributes?.['expected-case'])
        .map((client) => [client.clientId, client.attributes?.['expected-case'] as string]),
    );
    expect([...caseOf.values()].sort(), 'every listed case is in the fixture, and no other').toEqual(
      Object.keys(CASES).sort(),
    );
    expect(caseOf.size).toBeGreaterThanOrEqual(30);
    for (const result of audit.clients) {
      const caseId = caseOf.get(result.clientId);
      if (!caseId) continue;
      const intended = CASES[caseId];
      expect(
        { verdict: result.verdict, problems: result.problems.map((problem) => problem.code).sort() },
        caseId,
      ).toEqual({
        verdict: intended?.verdict,
        problems: [...(intended?.problems ?? [])].sort(),
      });
    }

    const users = [await userSubject(admin, 'plain-user'), await userSubject(admin, 'role-holder')];
    const scopeRoles = new Map<string, string[]>();
    for (const scope of snapshot.clientScopes) {
      const mappings = await admin.clientScopes.listScopeMappings({ realm: REALM, id: scope.id });
      scopeRoles.set(
        scope.id,
        (mappings.realmMappings ?? []).map((role) => role.name ?? ''),
      );
    }

    const disagreements: string[] = [];
    let compared = 0;
    for (const result of audit.clients) {
      if (result.verdict === 'not-applicable' || result.verdict === 'unpredictable') continue;
      const client = snapshot.clients.find((candidate) => candidate.id === result.id);
      const subjects = [...users];
      if (client?.serviceAccountsEnabled) {
        const serviceAccount = await admin.clients.getServiceAccountUser({ realm: REALM, id: result.id });
        if (serviceAccount.id) subjects.push(await subjectFor(admin, 'service account', serviceAccount.id));
      }
      const scopeRequests = [[], ...(client?.optionalClientScopes ?? []).map((name) => [name])];
      const ownInTokens: boolean[] = [];
      for (const subject of subjects) {
        for (const requested of scopeRequests) {
          const token = await generateExampleToken(admin, REALM, result.id, subject.userId, requested);
          const actual = new Set(token.aud);
          const expected = predictedAudiences(result, requested, subject, scopeRoles, token.resourceAccess);
          compared += 1;
          ownInTokens.push(actual.has(result.clientId));
          const same = actual.size === expected.size && [...actual].every((value) => expected.has(value));
          if (!same) {
            disagreements.push(
              `${result.clientId} for ${subject.label} with scope "openid ${requested.join(' ')}": ` +
                `Keycloak aud ${JSON.stringify([...actual].sort())}, engine ${JSON.stringify([...expected].sort())}`,
            );
          }
        }
      }
      if (result.verdict === 'ok' && ownInTokens.some((own) => !own)) {
        disagreements.push(`${result.clientId}: verdict ok, but a token lacks its clientId`);
      }
      if (result.verdict === 'missing' && ownInTokens.some((own) => own)) {
        disagreements.push(`${result.clientId}: verdict missing, but a token carries its clientId`);
      }
    }

    const summary = `${compared - disagreements.length} of ${compared} example tokens agree with the engine (${audit.clients.length} clients, ${caseOf.size} tagged cases)`;
    test.info().annotations.push({ type: 'agreement', description: summary });
    console.log(summary);
    expect(disagreements).toEqual([]);
  });

  test('reads a realm in the same number of requests whatever its number of clients', async () => {
    const admin = await masterAdmin();
    const realmWith = (name: string, count: number) => ({
      realm: name,
      enabled: true,
      clients: Array.from({ length: count }, (_, index) => ({
        clientId: `app-${index}`,
        protocol: 'openid-connect',
        standardFlowEnabled: true,
        redirectUris: [`http://localhost:4000/app-${index}/callback`],
        protocolMappers: [
          {
            name: 'own audience',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-audience-mapper',
            config: { 'included.client.audience': `app-${index}`, 'access.token.claim': 'true' },
          },
        ],
      })),
    });
    const sizes = { 'snapshot-small': 3, 'snapshot-large': 300 };
    try {
      const counts: Record<string, number> = {};
      for (const [name, size] of Object.entries(sizes)) {
        if (await admin.realms.findOne({ realm: name })) await admin.realms.del({ realm: name });
        await admin.realms.create(realmWith(name, size));
        // A new admin client for each realm: server facts are read once per client and then reused.
        const reader = await masterAdmin();
        const { result, requests } = await countRequests(() => loadSnapshot(reader, name));
        expect(result.clients.filter((client) => client.clientId.startsWith('app-'))).toHaveLength(size);
        expect(auditRealm(result).clients.filter((client) => client.verdict === 'ok')).toHaveLength(size);
        counts[name] = requests.length;
      }
      const report = `snapshot requests: ${JSON.stringify(counts)} (clients: ${JSON.stringify(sizes)})`;
      test.info().annotations.push({ type: 'requests', description: report });
      console.log(report);
      expect(counts['snapshot-large']).toBe(counts['snapshot-small']);
      expect(counts['snapshot-small']).toBeLessThanOrEqual(5);
    } finally {
      for (const name of Object.keys(sizes)) {
        if (await admin.realms.findOne({ realm: name })) await admin.realms.del({ realm: name });
      }
    }
  });

  test('bad input gives typed errors and explicit notes, never a crash', async () => {
    const master = await masterAdmin();
    await expect(loadSnapshot(master, 'no-such-realm')).rejects.toMatchObject({
      kind: 'not-found',
      message: 'Realm "no-such-realm" does not exist on this Keycloak.',
    });

    const alice = demoUser('alice');
    const aliceAdmin = await adminClientAs(alice.username, alice.password, 'demo');
    const forbidden = await loadSnapshot(aliceAdmin, 'demo').catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(ApiError);
    expect(forbidden).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('view-clients') });

    // view-clients without view-realm: the audit works and says what it did not check.
    const auditor = demoUser('auditor');
    const auditorAdmin = await adminClientAs(auditor.username, auditor.password, 'demo');
    const snapshot = await loadSnapshot(auditorAdmin, 'demo');
    expect(snapshot.clientPolicies).toBeUndefined();
    const audit = auditRealm(snapshot);
    expect(audit.notes.join(' ')).toContain('Client policies not checked');
    expect(audit.clients.find((client) => client.clientId === 'billing-app')?.verdict).toBe('ok');
    expect(audit.clients.find((client) => client.clientId === 'orders-web')?.verdict).toBe('missing');
    expect(JSON.stringify(snapshot)).not.toContain('orders-web-demo-secret');

    const offline = new KcAdminClient({ baseUrl: 'http://localhost:9', realmName: 'demo' });
    offline.registerTokenProvider({ getAccessToken: async () => 'no-token' });
    await expect(loadSnapshot(offline, 'demo')).rejects.toMatchObject({ kind: 'network' });
  });
});
