import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { ruleApplies } from '../src/audit/version-rules.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { readCsv } from '../src/report/read-csv.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { asMasterAdmin, assertCannotAudit, audit, buildCli, CLI_ENTRY, runCli, runCommand } from './support/cli.ts';
import {
  CI_CLIENT,
  CLI_REALM,
  createCliRealm,
  deleteCliRealm,
  FORMULA_CLIENT_ID,
  HALF_BROKEN_CLIENT_ID,
  PIPELINE_USER,
} from './support/cli-realm.ts';
import { sarifSchemaErrors } from './support/cli-sarif.ts';
import { demoClientIds, demoUser } from './support/demo.ts';
import { startHoldingProxy } from './support/holding-proxy.ts';
import { serverVersion, serverVersionPattern } from './support/server-version.ts';

interface JsonClient {
  clientId: string;
  id: string;
  verdict: string;
  reason: string;
  evidence: { container: { name: string }; mapper: { name: string }; value: string }[];
  problems: { code: string; message: string }[];
  audiences: string[];
  requirementSource: string;
  requirements: { audience: string; status: string }[];
  unrequiredAudiences: string[];
  builtIn: boolean;
  verification?: { user: string; aud: string[]; ownInToken: boolean; agrees: boolean | null } | null;
}

interface JsonRealm {
  schemaVersion: number;
  realm: string;
  keycloakVersion: string | null;
  cannotJudge: string | null;
  clients: JsonClient[];
  notes: string[];
}

const asPipelineClient = ['--auth-realm', CLI_REALM, '--client-id', CI_CLIENT.clientId];
const pipelineSecret = { AUDIENCE_DOCTOR_CLIENT_SECRET: CI_CLIENT.secret };

const client = (report: JsonRealm, clientId: string) => {
  const found = report.clients.find((candidate) => candidate.clientId === clientId);
  if (!found) throw new Error(`${report.realm} has no client ${clientId} in the report`);
  return found;
};

/**
 * What the findings should be, from the JSON report: a verdict worth reporting, each problem, each
 * disagreement, and a note for each audience nobody required (the demo realms state no requirements).
 */
const findingCount = (reports: JsonRealm[]) =>
  reports.filter((report) => report.cannotJudge).length +
  reports
    .flatMap((report) => report.clients)
    .reduce(
      (count, item) =>
        count +
        (['missing', 'conditional', 'unpredictable', 'cannot-judge'].includes(item.verdict) ? 1 : 0) +
        item.problems.length +
        item.unrequiredAudiences.length +
        (item.verification?.agrees === false ? 1 : 0),
      0,
    );

/**
 * What an account that is no master-realm manage-realm admin is told of the server version: nothing where the
 * rule table says Keycloak hides it; older servers tell some such admins, so there only a wrong version fails.
 */
async function expectVersionShownToRealmAdmins(versions: (string | null)[]): Promise<void> {
  const version = await serverVersion();
  const hidden = ruleApplies('serverVersionHidden', version);
  for (const shown of versions) {
    if (hidden) expect(shown).toBeNull();
    else expect([null, version]).toContain(shown);
  }
}

test.describe('the audience-doctor command line against Keycloak', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await buildCli();
    await createCliRealm(await masterAdmin());
  });

  test.afterAll(async () => {
    await deleteCliRealm(await masterAdmin());
  });

  test('audits one realm as JSON: the documented schema, and the same verdicts as the engine', async () => {
    const run = await audit(['--realm', 'demo', '--format', 'json', ...asMasterAdmin]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report: JsonRealm = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'realm',
      'keycloakVersion',
      'cannotJudge',
      'clients',
      'notes',
    ]);
    expect(report.schemaVersion).toBe(3);
    expect(report.realm).toBe('demo');
    // A master admin may read the server version.
    expect(report.keycloakVersion).toBe(await serverVersion());
    for (const item of report.clients) {
      expect(Object.keys(item)).toEqual([
        'clientId',
        'id',
        'verdict',
        'reason',
        'evidence',
        'problems',
        'audiences',
        'requirementSource',
        'declaredBy',
        'requirements',
        'unrequiredAudiences',
        'builtInAudiences',
        'introspection',
        'exchange',
        'builtIn',
      ]);
    }
    expect(report.clients.map((item) => item.clientId).sort()).toEqual([...demoClientIds(), 'audience-doctor'].sort());
    expect(client(report, 'orders-web')).toMatchObject({ verdict: 'missing', evidence: [], builtIn: false });
    expect(client(report, 'inventory-app')).toMatchObject({
      verdict: 'ok',
      audiences: ['inventory-app'],
      evidence: [{ container: { name: 'inventory-app-dedicated' }, value: 'inventory-app' }],
    });
    expect(client(report, 'payroll-app').problems.map((problem) => problem.code)).toEqual(['token-flag-off']);

    const engine = auditRealm(await loadSnapshot(await masterAdmin(), 'demo'));
    expect(Object.fromEntries(report.clients.map((item) => [item.clientId, item.verdict]))).toEqual(
      Object.fromEntries(engine.clients.filter((item) => !item.builtIn).map((item) => [item.clientId, item.verdict])),
    );
  });

  test('reads the clients in pages of --page-size, 100 by default, to the same report', async () => {
    const proxy = await startHoldingProxy(keycloakUrl());
    try {
      const pageSizesAsked = async (extra: string[]) => {
        const before = proxy.requests().length;
        const run = await runCli(['audit', '--url', proxy.url, '--realm', 'demo', '--format', 'json', ...extra]);
        expect(run.stderr).toBe('');
        const asked = proxy
          .requests()
          .slice(before)
          .filter(
            ({ method, url }) => method === 'GET' && url.pathname.replace(/\/$/, '') === '/admin/realms/demo/clients',
          )
          .map(({ url }) => url.searchParams.get('max'));
        return { report: JSON.parse(run.stdout) as JsonRealm, asked };
      };
      const byDefault = await pageSizesAsked(asMasterAdmin);
      expect(new Set(byDefault.asked)).toEqual(new Set(['100']));
      const small = await pageSizesAsked([...asMasterAdmin, '--page-size', '3']);
      expect(new Set(small.asked)).toEqual(new Set(['3']));
      // Pages of 3 overlap by one client, and the read ends at an empty page.
      expect(small.asked.length).toBeGreaterThanOrEqual(Math.ceil(small.report.clients.length / 2));
      expect(small.report.clients).toEqual(byDefault.report.clients);
    } finally {
      await proxy.close();
    }
  });

  test("reports Keycloak's own clients only with --include-builtin", async () => {
    const run = await audit(['--realm', 'demo', '--format', 'json', '--include-builtin', ...asMasterAdmin]);
    const report: JsonRealm = JSON.parse(run.stdout);
    expect(client(report, 'account-console')).toMatchObject({ builtIn: true });
    expect(client(report, 'admin-cli')).toMatchObject({ builtIn: true });
    expect(client(report, 'orders-web')).toMatchObject({ builtIn: false });
  });

  test('audits every realm as a JSON array, and only the realms the account can read', async () => {
    const all = await audit(['--all-realms', '--format', 'json', ...asMasterAdmin]);
    expect(all.code).toBe(1);
    const reports: JsonRealm[] = JSON.parse(all.stdout);
    expect(Array.isArray(reports)).toBe(true);
    expect(reports.map((report) => report.realm)).toEqual(
      expect.arrayContaining(['audience-cases', CLI_REALM, 'demo', 'demo-2', 'master']),
    );
    expect(client(reports.find((report) => report.realm === 'demo-2') as JsonRealm, 'legacy-portal').verdict).toBe(
      'missing',
    );

    // master-admin administers demo and (read-only) demo-2, and no other realm.
    const master = demoUser('master-admin', 'master-additions.json');
    const partial = await audit(['--all-realms', '--format', 'json', '--username', master.username], {
      AUDIENCE_DOCTOR_PASSWORD: master.password,
    });
    const readable: JsonRealm[] = JSON.parse(partial.stdout);
    expect(readable.map((report) => report.realm)).toEqual(['demo', 'demo-2']);
    await expectVersionShownToRealmAdmins(readable.map((report) => report.keycloakVersion));
    expect(partial.code).toBe(1);
  });

  test('writes CSV that parses, one row per client, with formula-like cells kept as text', async () => {
    const json: JsonRealm = JSON.parse((await audit(['--realm', 'demo', '--format', 'json', ...asMasterAdmin])).stdout);
    const run = await audit(['--realm', 'demo', '--format', 'csv', ...asMasterAdmin]);
    expect(run.code).toBe(1);
    const [header, ...rows] = readCsv(run.stdout);
    expect(header).toEqual([
      'realm',
      'clientId',
      'id',
      'verdict',
      'builtIn',
      'problems',
      'audiences',
      'evidence',
      'reason',
      'requirements',
      'unrequiredAudiences',
      'declaredBy',
      'builtInAudiences',
    ]);
    expect(rows.map((row) => [row[1], row[2], row[3]])).toEqual(
      json.clients.map((item) => [item.clientId, item.id, item.verdict]),
    );

    const tricky = await audit(['--realm', CLI_REALM, '--format', 'csv', ...asMasterAdmin]);
    const formulaRow = readCsv(tricky.stdout).find((row) => row[2] && row[1]?.includes(FORMULA_CLIENT_ID));
    expect(formulaRow?.[1]).toBe(`'${FORMULA_CLIENT_ID}`);
    expect(formulaRow?.[6]).toBe(`'${FORMULA_CLIENT_ID}`);
    for (const row of readCsv(tricky.stdout)) for (const cell of row) expect(cell).not.toMatch(/^\s*[=+\-@]/);
  });

  test('writes SARIF 2.1.0 that its JSON schema accepts, with one result per finding', async () => {
    for (const target of [['--realm', 'demo'], ['--realm', 'audience-cases'], ['--all-realms']]) {
      const sarif = await audit([...target, '--format', 'sarif', ...asMasterAdmin]);
      expect(sarif.code, target.join(' ')).toBe(1);
      const log = JSON.parse(sarif.stdout);
      expect(sarifSchemaErrors(log), target.join(' ')).toEqual([]);

      const json = JSON.parse((await audit([...target, '--format', 'json', ...asMasterAdmin])).stdout);
      const reports: JsonRealm[] = Array.isArray(json) ? json : [json];
      const results: { ruleId: string; ruleIndex: number }[] = log.runs[0].results;
      expect(results.length, target.join(' ')).toBe(findingCount(reports));
      const rules: { id: string }[] = log.runs[0].tool.driver.rules;
      for (const result of results) expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    const demo = JSON.parse((await audit(['--realm', 'demo', '--format', 'sarif', ...asMasterAdmin])).stdout);
    // The schema has teeth: a result without its message is refused.
    const [first, ...rest] = demo.runs[0].results;
    const broken = { ...demo, runs: [{ ...demo.runs[0], results: [{ ...first, message: undefined }, ...rest] }] };
    expect(sarifSchemaErrors(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
    const ruleIds = demo.runs[0].results.map((result: { ruleId: string }) => result.ruleId);
    expect(ruleIds.filter((id: string) => id === 'verdict/missing')).toHaveLength(5);
    expect(ruleIds).toContain('problem/token-flag-off');
  });

  test('prints a table for humans, coloured only on a terminal', async () => {
    const piped = await audit(['--realm', 'demo', ...asMasterAdmin]);
    expect(piped.code).toBe(1);
    const version = await serverVersionPattern();
    expect(piped.stdout).toMatch(
      new RegExp(`^Realm demo \\(Keycloak ${version}\\): 8 clients, 5 missing, 2 ok, 1 not-applicable\n`),
    );
    expect(piped.stdout).toMatch(/\norders-web\s+missing\s+-\s+Missing: /);
    expect(piped.stdout).not.toContain('\u001b[');

    // `script` runs the command on a pseudo-terminal.
    const command = [process.execPath, CLI_ENTRY, 'audit', '--url', keycloakUrl(), '--realm', 'demo-2']
      .concat(asMasterAdmin)
      .join(' ');
    const terminal = await runCommand('script', ['-qec', command, '/dev/null']);
    expect(terminal.stdout).toContain('\u001b[31mmissing');
    expect(terminal.code).toBe(1);
    const noColor = await runCommand('script', ['-qec', command, '/dev/null'], { NO_COLOR: '1' });
    expect(noColor.stdout).toContain('legacy-portal');
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  test('exits 0 when nothing is found at the chosen level, 1 when something is', async () => {
    // Every client of the throw-away realm is fixed; one also has a switched-off mapper beside its fix.
    const clean = await audit(['--realm', CLI_REALM, '--format', 'json', ...asMasterAdmin]);
    expect(clean.code).toBe(0);
    const report: JsonRealm = JSON.parse(clean.stdout);
    expect(report.clients.every((item) => item.verdict === 'ok')).toBe(true);
    expect(client(report, HALF_BROKEN_CLIENT_ID).problems.map((problem) => problem.code)).toEqual(['token-flag-off']);

    expect((await audit(['--realm', CLI_REALM, '--fail-on', 'missing', ...asMasterAdmin])).code).toBe(0);
    expect((await audit(['--realm', CLI_REALM, '--fail-on', 'problem', ...asMasterAdmin])).code).toBe(1);
    expect((await audit(['--realm', CLI_REALM, '--fail-on', 'none', ...asMasterAdmin])).code).toBe(0);
    expect((await audit(['--realm', 'demo', '--fail-on', 'missing', ...asMasterAdmin])).code).toBe(1);
    const none = await audit(['--realm', 'demo', '--fail-on', 'none', '--format', 'json', ...asMasterAdmin]);
    expect(none.code).toBe(0);
    expect(client(JSON.parse(none.stdout), 'orders-web').verdict).toBe('missing');
  });

  test('signs in with client credentials from the environment, or from the command line', async () => {
    const fromEnv = await audit(['--realm', CLI_REALM, '--format', 'json', ...asPipelineClient], pipelineSecret);
    expect(fromEnv.stderr).toBe('');
    expect(fromEnv.code).toBe(0);
    const report: JsonRealm = JSON.parse(fromEnv.stdout);
    expect(report.realm).toBe(CLI_REALM);
    // Not a master admin: the server version stays unknown where Keycloak hides it.
    await expectVersionShownToRealmAdmins([report.keycloakVersion]);

    const fromFlags = await audit([
      '--realm',
      CLI_REALM,
      '--format',
      'csv',
      ...asPipelineClient,
      '--client-secret',
      CI_CLIENT.secret,
    ]);
    expect(fromFlags.code).toBe(0);
    expect(readCsv(fromFlags.stdout)).toHaveLength(1 + report.clients.length);

    const fromPassword = await audit(
      ['--realm', CLI_REALM, '--auth-realm', CLI_REALM, '--fail-on', 'problem', '--format', 'json'],
      { AUDIENCE_DOCTOR_USERNAME: PIPELINE_USER.username, AUDIENCE_DOCTOR_PASSWORD: PIPELINE_USER.password },
    );
    expect(fromPassword.code).toBe(1);
    expect(JSON.parse(fromPassword.stdout).realm).toBe(CLI_REALM);
  });

  test('--verify-user adds the aud of a token Keycloak generates, and whether it agrees', async () => {
    const run = await audit(['--realm', 'demo', '--format', 'json', '--verify-user', 'alice', ...asMasterAdmin]);
    expect(run.code).toBe(1);
    const report: JsonRealm = JSON.parse(run.stdout);
    for (const item of report.clients) {
      if (item.verdict === 'not-applicable') {
        expect(item.verification, item.clientId).toBeNull();
        continue;
      }
      expect(item.verification, item.clientId).toMatchObject({ user: 'alice', agrees: true });
      expect(item.verification?.ownInToken, item.clientId).toBe(item.verdict === 'ok');
    }
    expect(client(report, 'billing-app').verification?.aud).toContain('billing-app');
    expect(client(report, 'orders-web').verification?.aud).not.toContain('orders-web');

    const viaClient = await audit(
      ['--realm', CLI_REALM, '--format', 'csv', '--verify-user', PIPELINE_USER.username, ...asPipelineClient],
      pipelineSecret,
    );
    expect(viaClient.code).toBe(0);
    const [header, ...rows] = readCsv(viaClient.stdout);
    expect(header?.slice(-4)).toEqual(['verifyUser', 'tokenAud', 'ownInToken', 'agrees']);
    for (const row of rows)
      expect(row.slice(-4), row[1]).toEqual([PIPELINE_USER.username, expect.any(String), 'true', 'true']);

    const sarif = await audit(['--realm', 'demo', '--format', 'sarif', '--verify-user', 'alice', ...asMasterAdmin]);
    expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);

    assertCannotAudit(
      await audit(['--realm', 'demo', '--verify-user', 'nobody-here', ...asMasterAdmin]),
      'error: --verify-user: realm demo has no user "nobody-here"',
    );
  });

  test('exits 2 with one line when it cannot audit: bad URL, no server, bad sign-in, no permission, no realm', async () => {
    const url = keycloakUrl();
    assertCannotAudit(
      await runCli(['audit', '--url', 'localhost:8080', '--realm', 'demo', ...asMasterAdmin]),
      'error: --url must be an http:// or https:// address, got "localhost:8080"',
    );
    assertCannotAudit(
      await runCli(['audit', '--url', 'http://localhost:59999', '--realm', 'demo', ...asMasterAdmin]),
      'error: cannot reach Keycloak at http://localhost:59999: ECONNREFUSED',
    );
    assertCannotAudit(
      await runCli(['audit', '--url', `${url}/not-keycloak`, '--realm', 'demo', ...asMasterAdmin]),
      'no token endpoint there (HTTP 404)',
    );
    const wrongPassword = 'wrong-password-3e9a1c';
    assertCannotAudit(
      await audit(['--realm', 'demo', '--username', 'admin', '--password', wrongPassword]),
      `error: cannot sign in to realm master at ${url}: invalid_grant (Invalid user credentials)`,
    );
    const wrongSecret = 'wrong-secret-77f0b2d1';
    assertCannotAudit(
      await audit(['--realm', CLI_REALM, ...asPipelineClient], { AUDIENCE_DOCTOR_CLIENT_SECRET: wrongSecret }),
      `error: cannot sign in to realm ${CLI_REALM} at ${url}: unauthorized_client (Invalid client or Invalid client credentials)`,
    );
    assertCannotAudit(
      await audit(['--realm', 'demo', '--auth-realm', 'no-such-realm', ...asMasterAdmin]),
      `error: cannot sign in to realm no-such-realm at ${url}: Realm does not exist`,
    );
    const alice = demoUser('alice');
    assertCannotAudit(
      await audit([
        '--realm',
        'demo',
        '--auth-realm',
        'demo',
        '--username',
        alice.username,
        '--password',
        alice.password,
      ]),
      'error: cannot audit realm demo: You need view-clients in realm "demo" to audit it (Keycloak answered 403).',
    );
    assertCannotAudit(
      await audit(['--realm', 'demo', ...asPipelineClient], pipelineSecret),
      `administers only that realm: sign in to demo or master`,
    );
    assertCannotAudit(
      await audit(['--realm', 'no-such-realm', ...asMasterAdmin]),
      'error: cannot audit realm no-such-realm: Realm "no-such-realm" does not exist on this Keycloak.',
    );
    assertCannotAudit(
      await audit(['--all-realms', '--auth-realm', 'demo', '--username', alice.username, '--password', alice.password]),
      'error: cannot list realms',
    );
    assertCannotAudit(await audit(['--realm', 'demo']), 'error: give credentials');
    assertCannotAudit(await audit(['--realm', 'demo', '--all-realms', ...asMasterAdmin]), 'cannot be used with');
    assertCannotAudit(await audit(['--realm', 'demo', '--format', 'xml', ...asMasterAdmin]), 'Allowed choices');
  });

  test('never prints a password or secret, not even one typed into the wrong option', async () => {
    const secret = 'typed-by-mistake-41c0ffee';
    const typo = await audit(['--realm', 'demo', ...asMasterAdmin, `--pasword=${secret}`]);
    assertCannotAudit(typo, "error: unknown option '--pasword=…'");
    expect(typo.stderr).not.toContain(secret);

    const help = await runCli(['audit', '--help'], pipelineSecret);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('AUDIENCE_DOCTOR_CLIENT_SECRET');
    expect(help.stdout).not.toContain(CI_CLIENT.secret);

    // Every run of this spec is also checked for the secrets it was given (see runCommand).
    for (const format of ['table', 'json', 'csv', 'sarif']) {
      const run = await audit(
        ['--realm', CLI_REALM, '--format', format, '--verify-user', PIPELINE_USER.username, ...asPipelineClient],
        pipelineSecret,
      );
      expect(run.code, format).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toContain(CI_CLIENT.secret);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    }
  });

  test('runs as `npx audience-doctor` after the build, and as `npm run cli --` from the repo', async () => {
    const env = { AUDIENCE_DOCTOR_USERNAME: 'admin', AUDIENCE_DOCTOR_PASSWORD: 'admin' };
    const args = ['audit', '--url', keycloakUrl(), '--realm', 'demo-2', '--format', 'json'];
    const npx = await runCommand('npx', ['--no-install', 'audience-doctor', ...args], env);
    expect(npx.code).toBe(1);
    expect(JSON.parse(npx.stdout).realm).toBe('demo-2');

    const npm = await runCommand('npm', ['run', '--silent', 'cli', '--', ...args], env);
    expect(npm.code).toBe(1);
    expect(JSON.parse(npm.stdout)).toEqual(JSON.parse(npx.stdout));
  });
});
