import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CALLERS_ATTRIBUTE, REQUIRES_ATTRIBUTE } from '../src/audit/requirements.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { asMasterAdmin, runCli } from './support/cli.ts';
import { jsonReport, useScratchRealm } from './support/cli-realm-fix.ts';

/**
 * Requirements written through `fix --strategy requirements`: the attribute lands as JSON, nothing else of the
 * client changes (a client with Authorization Services keeps its resource server: the PUT is built from a
 * fresh GET without protocolMappers, RepresentationToModel.updateClient), junk and unknown audiences are not
 * written, and undo puts back the previous value or removes the attribute ("" removes it).
 */

const REALM = 'requirements-write';

const REALM_REP = {
  realm: REALM,
  clients: [
    { clientId: 'orders-api', bearerOnly: true },
    { clientId: 'spa', publicClient: true, directAccessGrantsEnabled: true },
    {
      clientId: 'authz-app',
      publicClient: false,
      serviceAccountsEnabled: true,
      authorizationServicesEnabled: true,
      attributes: { [REQUIRES_ATTRIBUTE]: '["authz-app"]' },
    },
    { clientId: 'junk', publicClient: true, attributes: { [REQUIRES_ATTRIBUTE]: 'orders-api, spa' } },
  ],
};

test.describe('requirements written by fix', () => {
  const folder = useScratchRealm(REALM_REP);
  const connection = () => ['--url', keycloakUrl(), ...asMasterAdmin];

  async function clientNamed(clientId: string) {
    const admin = await masterAdmin();
    const [client] = await admin.clients.find({ realm: REALM, clientId });
    if (!client?.id) throw new Error(`no client ${clientId}`);
    return { admin, client, id: client.id };
  }

  const attributeOf = async (clientId: string, name = REQUIRES_ATTRIBUTE) =>
    (await clientNamed(clientId)).client.attributes?.[name];

  async function resourceNames(clientId: string) {
    const { admin, id } = await clientNamed(clientId);
    return (await admin.clients.listResources({ realm: REALM, id })).map((resource) => resource.name).sort();
  }

  /** `fix --plan` of a requirements file; the file is written as given when it is text. */
  async function plan(
    requirements: Record<string, string[]> | string,
    name: string,
    extra: string[] = [],
    url = keycloakUrl(),
  ) {
    const file = join(folder(), `${name}.requirements.json`);
    writeFileSync(file, typeof requirements === 'string' ? requirements : JSON.stringify(requirements));
    const planFile = join(folder(), `${name}.plan.json`);
    const run = await runCli([
      'fix',
      '--url',
      url,
      ...asMasterAdmin,
      '--realm',
      REALM,
      '--strategy',
      'requirements',
      '--requirements',
      file,
      '--plan',
      planFile,
      ...extra,
    ]);
    return { run, planFile };
  }

  test('requirements are written to the attribute, judged, and undone; the resource server stays', async () => {
    test.setTimeout(120_000);
    const { admin, id: authzId } = await clientNamed('authz-app');
    await admin.clients.createResource({ realm: REALM, id: authzId }, { name: 'orders', uris: ['/orders/*'] });
    const resourcesBefore = await resourceNames('authz-app');
    expect(resourcesBefore).toContain('orders');

    const { run: planned, planFile } = await plan({ spa: ['orders-api'], 'authz-app': ['orders-api'] }, 'write');
    expect(planned.code, planned.stderr).toBe(1);
    expect(planned.stdout).toContain(`attribute "${REQUIRES_ATTRIBUTE}" of client "spa"`);
    const journal = join(folder(), 'write.journal.json');
    const applied = await runCli(['fix', ...connection(), '--apply', planFile, '--journal', journal]);
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    expect(applied.stdout).toContain(`spa: ${REQUIRES_ATTRIBUTE} = ["orders-api"] → missing (unmet orders-api)`);

    expect(await attributeOf('spa')).toBe('["orders-api"]');
    expect(await attributeOf('authz-app')).toBe('["orders-api"]');
    const { client: authzAfter } = await clientNamed('authz-app');
    expect(authzAfter.authorizationServicesEnabled).toBe(true);
    expect(await resourceNames('authz-app')).toEqual(resourcesBefore);

    // The audit reads what was written.
    const report = await jsonReport<{
      clientId: string;
      requirementSource: string;
      requirements: { audience: string }[];
    }>(REALM);
    expect(report('spa').requirementSource).toBe('attribute');
    expect(report('spa').requirements.map((item) => item.audience)).toEqual(['orders-api']);

    const undone = await runCli(['fix', ...connection(), '--undo', journal, '--yes']);
    expect(undone.code, `${undone.stdout}\n${undone.stderr}`).toBe(0);
    expect(await attributeOf('spa')).toBeUndefined();
    expect(await attributeOf('authz-app')).toBe('["authz-app"]');
    expect(await resourceNames('authz-app')).toEqual(resourcesBefore);
  });

  test('junk, an unknown audience and a client the realm lacks are refused with a reason, nothing written', async () => {
    const { run } = await plan({ junk: ['orders-api'], spa: ['deleted-api'], ghost: ['orders-api'] }, 'refused');
    expect(run.code, run.stderr).toBe(0);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain('orders-api, spa');
    expect(output).toContain('"deleted-api" names no client of the realm');
    expect(output).toContain('There is no client "ghost"');
    expect(await attributeOf('junk')).toBe('orders-api, spa');
    expect(await attributeOf('spa')).toBeUndefined();

    const replaced = await plan({ junk: ['orders-api'] }, 'replace', ['--replace-unreadable']);
    expect(replaced.run.code, replaced.run.stderr).toBe(1);
  });

  test("an API's declared callers are written to its attribute, required in their tokens, and undone", async () => {
    test.setTimeout(120_000);
    const callersFile = join(folder(), 'callers.json');
    writeFileSync(callersFile, JSON.stringify({ 'orders-api': ['spa'], 'authz-app': ['no-such-caller'] }));
    const planFile = join(folder(), 'callers.plan.json');
    const planned = await runCli([
      'fix',
      ...connection(),
      '--realm',
      REALM,
      '--strategy',
      'requirements',
      '--callers',
      callersFile,
      '--plan',
      planFile,
    ]);
    expect(planned.code, planned.stderr).toBe(1);
    expect(`${planned.stdout}\n${planned.stderr}`).toContain('"no-such-caller" names no client of the realm');
    const journal = join(folder(), 'callers.journal.json');
    const applied = await runCli(['fix', ...connection(), '--apply', planFile, '--journal', journal]);
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    expect(applied.stdout).toContain(
      `orders-api: ${CALLERS_ATTRIBUTE} = ["spa"] → required in the tokens of spa (unmet)`,
    );
    expect(await attributeOf('orders-api', CALLERS_ATTRIBUTE)).toBe('["spa"]');
    expect(await attributeOf('authz-app', CALLERS_ATTRIBUTE)).toBeUndefined();

    const report = await jsonReport<{
      clientId: string;
      declaredBy: string[];
      requirements: { audience: string; status: string; declared?: boolean }[];
    }>(REALM);
    expect(report('spa').declaredBy).toEqual(['orders-api']);
    expect(report('spa').requirements).toContainEqual(
      expect.objectContaining({ audience: 'orders-api', status: 'unmet', declared: true }),
    );

    const undone = await runCli(['fix', ...connection(), '--undo', journal, '--yes']);
    expect(undone.code, `${undone.stdout}\n${undone.stderr}`).toBe(0);
    expect(await attributeOf('orders-api', CALLERS_ATTRIBUTE)).toBeUndefined();
    expect((await jsonReport<{ clientId: string; declaredBy: string[] }>(REALM))('spa').declaredBy).toEqual([]);
  });

  test('null in the file takes the attribute away (the default rule), and undo puts it back', async () => {
    const { run, planFile } = await plan('{"authz-app": null}', 'remove');
    expect(run.code, run.stderr).toBe(1);
    const journal = join(folder(), 'remove.journal.json');
    const applied = await runCli(['fix', ...connection(), '--apply', planFile, '--journal', journal]);
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    expect(await attributeOf('authz-app')).toBeUndefined();
    const undone = await runCli(['fix', ...connection(), '--undo', journal, '--yes']);
    expect(undone.code, `${undone.stdout}\n${undone.stderr}`).toBe(0);
    expect(await attributeOf('authz-app')).toBe('["authz-app"]');
  });

  test('a requirements file that is not JSON ends the plan before Keycloak is asked', async () => {
    const { run } = await plan('{ spa: [orders-api] }', 'broken', [], 'http://127.0.0.1:9');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not JSON');
  });
});
