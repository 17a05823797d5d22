import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CALLERS_ATTRIBUTE, REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { ruleApplies } from '../src/audit/version-rules.ts';
import { asMasterAdmin, assertCannotAudit, audit, runCli } from './support/cli.ts';
import { passwordGrantToken, scratchUser, useScratchRealm } from './support/cli-realm-fix.ts';
import { audOf, decodeJwtPayload } from './support/real-tokens.ts';
import { serverVersion } from './support/server-version.ts';

/**
 * Requirements (the client attribute audience-doctor.requires and the CLI's --requirements file) judged per
 * audience by the CLI, and each verdict set against a real access token from the password grant.
 */

const REALM = 'cli-requirements';
const USER = { username: 'req-user', password: 'req-user-pw-3f9a1c' };

const audienceMapper = (audience: string) => ({
  name: `${audience} audience`,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.client.audience': audience, 'access.token.claim': 'true' },
});
const requires = (audiences: string[]) => ({ [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) });
const publicClient = (clientId: string, settings: Record<string, unknown>) => ({
  clientId,
  publicClient: true,
  directAccessGrantsEnabled: true,
  standardFlowEnabled: false,
  ...settings,
});

const REALM_REP = {
  realm: REALM,
  clientScopes: [
    { name: 'orders-audience', protocol: 'openid-connect', protocolMappers: [audienceMapper('orders-api')] },
  ],
  clients: [
    { clientId: 'orders-api', bearerOnly: true },
    { clientId: 'billing-api', bearerOnly: true },
    { clientId: 'retired-api', bearerOnly: true, enabled: false },
    // Needs orders-api (a default scope gives it) and billing-api (nothing gives it).
    publicClient('spa', {
      attributes: requires(['orders-api', 'billing-api']),
      defaultClientScopes: ['orders-audience'],
    }),
    // Needs a disabled client, which its own mapper names.
    publicClient('retired-caller', {
      attributes: requires(['retired-api']),
      protocolMappers: [audienceMapper('retired-api')],
    }),
    // Carries orders-api and account (Keycloak's own client), neither required.
    publicClient('nothing-needed', {
      attributes: requires([]),
      defaultClientScopes: ['orders-audience'],
      protocolMappers: [audienceMapper('account')],
    }),
    // An API that declares its caller: the caller's tokens carry its own clientId, not ledger-api.
    {
      clientId: 'ledger-api',
      bearerOnly: true,
      attributes: { [CALLERS_ATTRIBUTE]: JSON.stringify(['declared-caller']) },
    },
    publicClient('declared-caller', { protocolMappers: [audienceMapper('declared-caller')] }),
    publicClient('junk-attribute', { attributes: { [REQUIRES_ATTRIBUTE]: 'orders-api, billing-api' } }),
  ],
  users: [scratchUser(USER, REALM)],
};

interface JsonClient {
  clientId: string;
  verdict: string;
  requirementSource: string;
  declaredBy: string[];
  requirements: { audience: string; status: string; reason: string; declared?: boolean }[];
  unrequiredAudiences: string[];
  builtInAudiences: string[];
  problems: { code: string }[];
}

async function jsonAudit(extra: string[] = []) {
  const run = await audit(['--realm', REALM, '--format', 'json', '--fail-on', 'missing', ...extra, ...asMasterAdmin]);
  const clients: JsonClient[] = run.stdout ? JSON.parse(run.stdout).clients : [];
  const of = (clientId: string) => {
    const found = clients.find((client) => client.clientId === clientId);
    if (!found) throw new Error(`no ${clientId} in the report: ${run.stderr}`);
    return found;
  };
  return { run, of };
}

const statuses = (client: JsonClient) =>
  Object.fromEntries(client.requirements.map((requirement) => [requirement.audience, requirement.status]));

/** The aud of a real access token: the password grant, as the user, with the client's default scopes. */
async function realAud(clientId: string): Promise<string[]> {
  return audOf(decodeJwtPayload(await passwordGrantToken(REALM, clientId, USER)));
}

test.describe('requirements on the command line', () => {
  const scratch = useScratchRealm(REALM_REP);

  test('judges each required audience from the attribute, as real tokens show', async () => {
    const { run, of } = await jsonAudit();
    expect(run.code).toBe(1);

    const spa = of('spa');
    expect(spa.requirementSource).toBe('attribute');
    expect(statuses(spa)).toEqual({ 'orders-api': 'met', 'billing-api': 'unmet' });
    expect(spa.verdict).toBe('missing');
    const spaAud = await realAud('spa');
    expect(spaAud).toContain('orders-api');
    expect(spaAud).not.toContain('billing-api');

    // AudienceProtocolMapper.setClaim: from 26.7.5 (26.6.8) a disabled client is not added.
    const dropped = ruleApplies('inactiveAudienceDropped', await serverVersion());
    const retired = of('retired-caller');
    const retiredAud = await realAud('retired-caller');
    expect(statuses(retired)).toEqual({ 'retired-api': dropped ? 'unmet' : 'met' });
    expect(retiredAud.includes('retired-api')).toBe(!dropped);
    if (dropped) expect(retired.requirements[0]?.reason).toContain('until client "retired-api" is enabled');

    // Nothing required: no verdict against it, and what its tokens carry is listed apart.
    const nothing = of('nothing-needed');
    expect(nothing.verdict).toBe('not-applicable');
    expect(nothing.requirements).toEqual([]);
    expect(nothing.unrequiredAudiences).toEqual(['orders-api']);
    // Keycloak's own client is marked apart, and is a finding only with --include-builtin.
    expect(nothing.builtInAudiences).toEqual(['account']);
    expect(await realAud('nothing-needed')).toEqual(expect.arrayContaining(['orders-api', 'account']));

    // Junk in the attribute: a problem, and the default rule (its own clientId) meanwhile.
    const junk = of('junk-attribute');
    expect(junk.requirementSource).toBe('default');
    expect(junk.problems.map((problem) => problem.code)).toContain('requirements-unreadable');
    expect(statuses(junk)).toEqual({ 'junk-attribute': 'unmet' });
    expect(await realAud('junk-attribute')).not.toContain('junk-attribute');
  });

  test("a client's requirements gain what the APIs that name it in audience-doctor.callers declare", async () => {
    const { of } = await jsonAudit();
    const caller = of('declared-caller');
    expect(caller.requirementSource).toBe('default');
    expect(caller.declaredBy).toEqual(['ledger-api']);
    expect(statuses(caller)).toEqual({ 'declared-caller': 'met', 'ledger-api': 'unmet' });
    expect(caller.requirements.find((item) => item.audience === 'ledger-api')?.declared).toBe(true);
    expect(caller.verdict).toBe('missing');
    const aud = await realAud('declared-caller');
    expect(aud).toContain('declared-caller');
    expect(aud).not.toContain('ledger-api');
  });

  test('--include-builtin also reports the built-in audiences nobody required', async () => {
    const { of } = await jsonAudit(['--include-builtin']);
    expect(of('nothing-needed').unrequiredAudiences).toEqual(['account', 'orders-api']);
    const sarif = await audit(['--realm', REALM, '--format', 'sarif', '--include-builtin', ...asMasterAdmin]);
    const results: { ruleId: string; message: { text: string } }[] = JSON.parse(sarif.stdout).runs[0].results;
    const notes = results.filter(
      (result) => result.ruleId === 'audience/not-required' && result.message.text.startsWith('nothing-needed '),
    );
    expect(notes.map((note) => note.message.text)).toEqual([
      expect.stringContaining('carry account'),
      expect.stringContaining('carry orders-api'),
    ]);
    const plain = await audit(['--realm', REALM, '--format', 'sarif', ...asMasterAdmin]);
    expect(plain.stdout).not.toContain('carry account');
  });

  test('--requirements FILE wins over the attribute and names the clients it does not find', async () => {
    const file = join(scratch(), 'requirements.json');
    writeFileSync(
      file,
      JSON.stringify({ spa: ['orders-api'], 'no-such-client': ['orders-api'], 'nothing-needed': null }),
    );
    const { run, of } = await jsonAudit(['--requirements', file]);
    const spa = of('spa');
    expect(spa.requirementSource).toBe('file');
    expect(statuses(spa)).toEqual({ 'orders-api': 'met' });
    expect(spa.verdict).toBe('ok');
    expect(run.stderr).toContain('--requirements names client "no-such-client"');
    // null: the default rule, whatever its attribute says ([] there).
    const reset = of('nothing-needed');
    expect(reset.requirementSource).toBe('default');
    expect(statuses(reset)).toEqual({ 'nothing-needed': 'unmet' });
    // The clients the file does not name keep their attribute.
    expect(statuses(of('retired-caller'))).toHaveProperty('retired-api');
  });

  test('a requirements file that cannot be used ends the run before Keycloak is asked anything', async () => {
    const notJson = join(scratch(), 'not-json.json');
    writeFileSync(notJson, '{"spa": [');
    // Pointed at a port where nothing listens: the file's problem is what the run reports, so it came first.
    const nowhere = await runCli([
      'audit',
      '--url',
      'http://localhost:9',
      '--realm',
      REALM,
      '--requirements',
      notJson,
      ...asMasterAdmin,
    ]);
    assertCannotAudit(nowhere, /--requirements .*not-json\.json: it is not JSON/);
    const wrongShape = join(scratch(), 'wrong-shape.json');
    writeFileSync(wrongShape, '{"spa": "orders-api"}');
    assertCannotAudit(
      (await jsonAudit(['--requirements', wrongShape])).run,
      /the entry for "spa" is wrong: it is not a JSON array/,
    );
    assertCannotAudit((await jsonAudit(['--requirements', join(scratch(), 'absent.json')])).run, /no such file/);
  });
});
