import KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import pLimit from 'p-limit';
import { auditRealm } from '../src/audit/audit-realm.ts';
import type { ClientAudit, RealmAudit, Verdict } from '../src/audit/findings.ts';
import type { ClientRep } from '../src/audit/snapshot.ts';
import { ApiError } from '../src/keycloak/errors.ts';
import { CLIENTS_PAGE_SIZE, loadSnapshot } from '../src/keycloak/snapshot.ts';
import { generateExampleToken } from '../src/keycloak/tokens.ts';
import { adminClientAs, countRequests, keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { CASES, type CaseExpectation } from './support/audience-cases.ts';
import { demoUser } from './support/demo.ts';
import { JUDGE_USERS, judgeWithRealTokens, realVerdict } from './support/real-token-judge.ts';
import { requestToken } from './support/real-tokens.ts';
import { serverVersion } from './support/server-version.ts';

const REALM = 'audience-cases';
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
  scopeRoles: Record<string, string[]>,
  resourceAccess: Record<string, string[]>,
): Set<string> {
  const expected = new Set(audit.audiences);
  for (const { value, container } of audit.conditionalAudiences) {
    const requested = container.applies === 'optional' && requestedScopes.includes(container.name);
    const permitted =
      container.applies === 'role-restricted' &&
      (scopeRoles[container.id] ?? []).some((role) => subject.realmRoles.has(role));
    if (requested || permitted) expected.add(value);
  }
  if (audit.roleAudiences) {
    for (const [clientId, roles] of Object.entries(resourceAccess)) {
      if (clientId !== audit.clientId && roles.length > 0) expected.add(clientId);
    }
  }
  return expected;
}

/** A user's access token from case-exchange-subject-issuer, whose tokens carry the token-exchange case. */
async function subjectToken(realm: string, username: string): Promise<string> {
  const user = JUDGE_USERS.find((candidate) => candidate.username === username) ?? JUDGE_USERS[0];
  const outcome = await requestToken('password', {
    baseUrl: keycloakUrl(),
    realm,
    clientId: 'case-exchange-subject-issuer',
    clientSecret: 'case-exchange-subject-issuer-secret',
    user,
  });
  if (outcome.kind !== 'token') throw new Error(`no subject token for ${username}: ${outcome.error}`);
  return outcome.accessToken;
}

/**
 * The second judge: example tokens for each user (and the service account) and each optional scope. Their aud
 * must be what the engine predicts, and they must carry the clientId as the verdict without policies says.
 */
async function compareExampleTokens(
  admin: KcAdminClient,
  exampleAudit: RealmAudit,
  clientUuid: string,
  client: ClientRep,
  expected: CaseExpectation,
  exampleVerdict: Verdict | undefined,
  roleRestricted: boolean,
): Promise<string[]> {
  const result = exampleAudit.clients.find((candidate) => candidate.id === clientUuid) as ClientAudit;
  const scopeRoles = exampleRoles.get(admin) ?? {};
  // The role holder matters only where a scope is role-restricted.
  const subjects = (await judgeSubjects(admin)).slice(0, roleRestricted ? undefined : 1);
  if (client.serviceAccountsEnabled && !client.publicClient) {
    const serviceAccount = await admin.clients.getServiceAccountUser({ realm: REALM, id: clientUuid });
    if (serviceAccount.id) subjects.push(await subjectFor(admin, 'service account', serviceAccount.id));
  }
  const scopeRequests = [[], ...(client.optionalClientScopes ?? []).map((name) => [name])];
  const lines: string[] = [];
  const own: boolean[] = [];
  for (const subject of subjects) {
    for (const requested of scopeRequests) {
      const token = await generateExampleToken(admin, REALM, clientUuid, subject.userId, requested);
      const actual = new Set(token.aud);
      own.push(actual.has(client.clientId));
      // A requested scope whose mapper rewrites aud: the engine predicts no exact aud for that request.
      const rewritten = result.problems.some(
        (problem) => problem.code === 'aud-override' && requested.includes(problem.container?.name ?? ''),
      );
      if (expected.verdict === 'unpredictable' || rewritten) continue;
      const predicted = predictedAudiences(result, requested, subject, scopeRoles, token.resourceAccess);
      const same = actual.size === predicted.size && [...actual].every((value) => predicted.has(value));
      if (!same) {
        lines.push(
          `example token for ${subject.label} with scope "openid ${requested.join(' ')}": ` +
            `Keycloak aud ${JSON.stringify([...actual].sort())}, engine ${JSON.stringify([...predicted].sort())}`,
        );
      }
    }
  }
  const carrying = own.filter(Boolean).length;
  const judged = carrying === own.length ? 'ok' : carrying === 0 ? 'missing' : 'conditional';
  if (exampleVerdict !== 'unpredictable' && judged !== exampleVerdict) {
    lines.push(`example tokens say ${judged}, the engine without client policies says ${exampleVerdict}`);
  }
  return lines;
}

const exampleRoles = new WeakMap<KcAdminClient, Record<string, string[]>>();
const subjectsByAdmin = new WeakMap<KcAdminClient, Promise<Subject[]>>();
const judgeSubjects = (admin: KcAdminClient) => {
  let subjects = subjectsByAdmin.get(admin);
  if (!subjects) {
    subjects = Promise.all(JUDGE_USERS.map((user) => userSubject(admin, user.username)));
    subjectsByAdmin.set(admin, subjects);
  }
  return subjects;
};

test.describe('the audience engine against Keycloak', () => {
  test('every tagged case agrees with real tokens and, unless example-blind, with example tokens', async () => {
    test.setTimeout(900_000);
    const admin = await masterAdmin();
    const version = await serverVersion();
    // The snapshot comes first: the engine never sees token data.
    const snapshot = await loadSnapshot(admin, REALM);
    expect(snapshot.keycloakVersion).toBe(version);
    exampleRoles.set(admin, snapshot.scopeRestrictingRoles ?? {});
    const audit = auditRealm(snapshot);
    // What an example token shows: no client policy runs at the evaluate endpoint.
    const exampleAudit = auditRealm({ ...snapshot, clientPolicies: { policies: [], profiles: [] } });

    const caseOf = new Map(
      snapshot.clients
        .filter((client) => client.attributes?.['expected-case'])
        .map((client) => [client.clientId, client.attributes?.['expected-case'] as string]),
    );
    expect([...caseOf.values()].sort(), 'every listed case is in the fixture, and no other').toEqual(
      Object.keys(CASES).sort(),
    );
    expect(caseOf.size).toBeGreaterThanOrEqual(60);

    const subjectTokens = new Map<string, Promise<string>>();
    const subjectTokenFor = (username: string) => {
      let token = subjectTokens.get(username);
      if (!token) {
        token = subjectToken(REALM, username);
        subjectTokens.set(username, token);
      }
      return token;
    };

    const scopeIdByName = new Map(snapshot.clientScopes.map((scope) => [scope.name, scope.id]));
    const report = { agree: 0, disagree: 0, notOnThisVersion: 0, unpredictable: 0, exampleAgree: 0 };
    const disagreements: string[] = [];
    // Cases are independent: a few at once, so that the whole realm is judged in minutes on every version.
    const limit = pLimit(4);
    const judgeCase = async (result: ClientAudit, caseId: string) => {
      const lines: string[] = [];
      const expected = CASES[caseId]?.on(version);
      if (!expected || 'notOnThisVersion' in expected) {
        report.notOnThisVersion += 1;
        test
          .info()
          .annotations.push({ type: 'not on this version', description: `${caseId}: ${expected?.notOnThisVersion}` });
        return;
      }
      const client = snapshot.clients.find((candidate) => candidate.id === result.id) as ClientRep;
      const problems = result.problems.map((problem) => problem.code).sort();
      if (
        result.verdict !== expected.verdict ||
        JSON.stringify(problems) !== JSON.stringify([...(expected.problems ?? [])].sort())
      ) {
        lines.push(
          `${caseId}: engine says ${result.verdict} ${JSON.stringify(problems)}, the case expects ${expected.verdict} ${JSON.stringify(expected.problems ?? [])}`,
        );
      }
      if (expected.verdict === 'unpredictable') report.unpredictable += 1;

      const restricted = [...(client.defaultClientScopes ?? []), ...(client.optionalClientScopes ?? [])].some(
        (name) => snapshot.scopeRoleRestrictions[scopeIdByName.get(name) ?? ''] === true,
      );
      const requests = await judgeWithRealTokens(keycloakUrl(), REALM, client, subjectTokenFor, restricted);
      const real = realVerdict(requests);
      const realCounts = expected.verdict !== 'unpredictable' && expected.verdict !== 'cannot-judge';
      if (realCounts && real !== expected.verdict) {
        lines.push(
          `${caseId}: real tokens say ${real}: ${requests.map((request) => `${request.label} → ${request.outcome}${request.refusal ? ` [${request.refusal}]` : ` ${JSON.stringify(request.aud)}`}`).join('; ')}`,
        );
      }
      if (expected.verdict === 'not-applicable') {
        for (const request of requests) {
          if (request.outcome === 'refused' && !request.refusal)
            lines.push(`${caseId}: a refusal without Keycloak's error`);
        }
      }

      const exampleVerdict = exampleAudit.clients.find((candidate) => candidate.id === result.id)?.verdict;
      if (expected.exampleBlind) {
        // The example token differs exactly as predicted: it judges as if no policy ran.
        if (exampleVerdict === expected.verdict) {
          lines.push(`${caseId}: tagged example-blind (${expected.exampleBlind}), but the example judge agrees`);
        }
      }
      if (
        result.verdict !== 'not-applicable' &&
        result.verdict !== 'unpredictable' &&
        expected.verdict !== 'not-applicable'
      ) {
        const exampleDisagreements = await compareExampleTokens(
          admin,
          exampleAudit,
          result.id,
          client,
          expected,
          exampleVerdict,
          restricted,
        );
        lines.push(...exampleDisagreements.map((line) => `${caseId}: ${line}`));
        if (exampleDisagreements.length === 0) report.exampleAgree += 1;
      }
      if (lines.length === 0) report.agree += 1;
      else report.disagree += 1;
      disagreements.push(...lines);
    };
    await Promise.all(
      audit.clients.flatMap((result) => {
        const caseId = caseOf.get(result.clientId);
        return caseId ? [limit(() => judgeCase(result, caseId))] : [];
      }),
    );
    disagreements.sort();

    const judged = report.agree + report.disagree;
    const summary =
      `Keycloak ${version}: ${report.agree} of ${judged} tagged cases agree with real tokens ` +
      `(${report.exampleAgree} checked against example tokens too), ${report.notOnThisVersion} not on this version, ` +
      `${report.unpredictable} unpredictable (${Math.round((100 * report.unpredictable) / Math.max(judged, 1))} %)`;
    test.info().annotations.push({ type: 'agreement', description: summary });
    console.log(summary);
    expect(disagreements).toEqual([]);
  });

  // Counts our own requests, the same on every version: run on the pin only (the matrix skips @pin-only).
  test('reads a realm in pages + C + a fixed number of requests, one more for the scope roles', {
    tag: '@pin-only',
  }, async () => {
    // Creating the 300-client realm takes a minute on older servers of this 2-core machine.
    test.setTimeout(300_000);
    const admin = await masterAdmin();
    // The default page size, asked by reading without one.
    const pageSize = CLIENTS_PAGE_SIZE;
    const concurrency = 4;
    const realmWith = (name: string, count: number, audienceScopes: number) => ({
      realm: name,
      enabled: true,
      clientScopes: Array.from({ length: audienceScopes }, (_, index) => ({
        name: `aud-scope-${index}`,
        protocol: 'openid-connect',
        protocolMappers: [
          {
            name: 'audience',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-audience-mapper',
            config: { 'included.client.audience': `app-${index}`, 'access.token.claim': 'true' },
          },
        ],
      })),
      clients: Array.from({ length: count }, (_, index) => ({
        clientId: `app-${index}`,
        protocol: 'openid-connect',
        standardFlowEnabled: true,
        redirectUris: [`http://localhost:4000/app-${index}/callback`],
        defaultClientScopes: index < audienceScopes ? [`aud-scope-${index}`] : [],
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
    // One audience scope is checked by its own read; from four on, one partial export answers for all.
    const sizes = { 'snapshot-small': [3, 1], 'snapshot-large': [300, 5] } as const;
    // Client scopes, server info, client policies, client profiles, the realm and its default roles.
    const realmWide = 6;
    try {
      const report: string[] = [];
      for (const [name, [size, scopes]] of Object.entries(sizes)) {
        if (await admin.realms.findOne({ realm: name })) await admin.realms.del({ realm: name });
        await admin.realms.create(realmWith(name, size, scopes));
        // A new admin client for each realm: server facts are read once per client and then reused.
        const reader = await masterAdmin();
        const { result, requests } = await countRequests(() => loadSnapshot(reader, name, { concurrency }));
        expect(result.clients.filter((client) => client.clientId.startsWith('app-'))).toHaveLength(size);
        expect(auditRealm(result).clients.filter((client) => client.verdict === 'ok')).toHaveLength(size);
        // Pages overlap by one client; the realm also holds its built-in clients.
        const clients = result.clients.length;
        const pages = Math.floor((clients - 1) / (pageSize - 1)) + 1;
        const pageReads = requests.filter((request) => /^GET \/admin\/realms\/[^/]+\/clients\/?$/.test(request)).length;
        expect(pageReads).toBeGreaterThanOrEqual(pages + 1); // the last one answers empty
        expect(pageReads).toBeLessThanOrEqual(pages + concurrency);
        expect(requests.length - pageReads).toBe(realmWide + 1);
        report.push(
          `${name}: ${requests.length} requests for ${clients} clients (${pages} pages, ${pageReads} page reads)`,
        );
        // The adaptive read asks no more: pages of 100 first, its page of 500 only once one has come back (past
        // the end here, or in place of later pages of 100), so never more pages than pages of 100.
        const freshReader = await masterAdmin();
        const adaptive = await countRequests(() =>
          loadSnapshot(freshReader, name, { pageSize: 'adaptive', concurrency }),
        );
        expect(adaptive.result.clients).toHaveLength(clients);
        const adaptivePageReads = adaptive.requests.filter((request) =>
          /^GET \/admin\/realms\/[^/]+\/clients\/?$/.test(request),
        ).length;
        expect(adaptivePageReads).toBeGreaterThanOrEqual(Math.floor((clients - 1) / 499) + 2);
        expect(adaptivePageReads).toBeLessThanOrEqual(pages + concurrency);
        expect(adaptive.requests.length - adaptivePageReads).toBe(realmWide + 1);
      }
      test.info().annotations.push({ type: 'requests', description: report.join('; ') });
      console.log(report.join('\n'));
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
