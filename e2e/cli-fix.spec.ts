import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { createRemediationApi } from '../src/keycloak/remediation-api.ts';
import { loadSnapshot } from '../src/keycloak/snapshot.ts';
import { memoryJournalStore } from '../src/remediation/journal.ts';
import { createRunSession } from '../src/remediation/session.ts';
import { keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { buildCli } from './support/cli.ts';
import { errorLine, fix, type JournalLike, readJson, startFix, watchJournal, workDir } from './support/cli-fix.ts';
import {
  appIds,
  createFixRealm,
  deleteRealm,
  FIX_USER,
  FIXED_CLIENT_ID,
  WORKER_CLIENT_ID,
} from './support/cli-fix-realm.ts';
import { type RealmState, realmState } from './support/realm-state.ts';

interface PlanFileLike {
  format: string;
  version: number;
  keycloakUrl: string;
  realm: string;
  strategy: string;
  request: { clientIds: string[]; options: { strategy: string; runId: string } };
  crossTrustAccepted: boolean;
  crossAcceptance: { clientId: string; accepts: string[] }[];
  steps: { write: { kind: string }; undo: { kind: string }; clientIds: string[] }[];
}

let admin: KcAdminClient;
let realm = '';
let dir = '';
let realms = 0;

/** What a run may have written: scopes, and mappers of clients and scopes. */
const counts = (state: RealmState) => ({
  scopes: state.clientScopes.length,
  mappers:
    state.clients.reduce((sum, client) => sum + client.protocolMappers.length, 0) +
    state.clientScopes.reduce((sum, scope) => sum + scope.protocolMappers.length, 0),
  defaultLinks: state.clients.reduce((sum, client) => sum + client.defaultClientScopes.length, 0),
});

const verdicts = async (clientIds: string[]) => {
  const audit = auditRealm(await loadSnapshot(admin, realm));
  return Object.fromEntries(
    clientIds.map((clientId) => [clientId, audit.clients.find((item) => item.clientId === clientId)?.verdict]),
  );
};

const file = (name: string) => join(dir, name);
const plan = (args: string[]) => fix(['--realm', realm, ...args]);

/** Each test gets a realm of its own, made here and deleted afterwards; the pinned fixtures stay untouched. */
const freshRealm = async (apps: number) => {
  realms += 1;
  realm = `cli-fix-${realms}`;
  await createFixRealm(admin, realm, apps);
};

test.describe('audience-doctor fix against Keycloak', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await buildCli();
    admin = await masterAdmin();
  });

  test.beforeEach(() => {
    dir = workDir();
  });

  test.afterEach(async () => {
    if (realm) await deleteRealm(admin, realm);
    realm = '';
  });

  test('plan prints the changes and writes the plan file (exit 1); after the apply a new plan has none (exit 0)', async () => {
    await freshRealm(2);
    const before = await realmState(admin, realm);
    const clients = ['app-01', 'app-02', FIXED_CLIENT_ID];
    const run = await plan(['--client', ...clients, '--strategy', 'client-scope', '--plan', file('fix.json')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Plan for realm "${realm}" at ${keycloakUrl()} (strategy client-scope, run `);
    expect(run.stdout).toContain('4 changes for 2 clients: app-01, app-02.');
    expect(run.stdout).toContain('  1. Create client scope "app-01-audience" with Audience mapper "app-01-audience"');
    expect(run.stdout).toContain('     undo: Delete client scope "app-01-audience"');
    expect(run.stdout).toContain('  4. Attach client scope "app-02-audience" to "app-02" as a default scope');
    expect(run.stdout).toContain(`Skipped (1):\n  - ${FIXED_CLIENT_ID}: Its access tokens already carry its clientId.`);
    expect(run.stdout).toContain('Verdicts afterwards: app-01 ok, app-02 ok.');
    expect(run.stdout).toContain(`Plan written to ${file('fix.json')}.`);

    const saved = readJson<PlanFileLike>(file('fix.json'));
    expect(saved).toMatchObject({
      format: 'audience-doctor-plan',
      version: 1,
      keycloakUrl: keycloakUrl(),
      realm,
      strategy: 'client-scope',
      request: { clientIds: clients, options: { strategy: 'client-scope' } },
      crossTrustAccepted: false,
    });
    expect(saved.request.options.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(saved.steps.map((step) => [step.write.kind, step.undo.kind, step.clientIds])).toEqual([
      ['create-scope', 'delete-scope', ['app-01']],
      ['attach-default-scope', 'detach-default-scope', ['app-01']],
      ['create-scope', 'delete-scope', ['app-02']],
      ['attach-default-scope', 'detach-default-scope', ['app-02']],
    ]);
    // No secret of a client or of the admin, and no token.
    const text = JSON.stringify(saved);
    for (const secret of ['secret-7a41', 'admin"', 'eyJ']) expect(text).not.toContain(secret);
    expect(await realmState(admin, realm)).toEqual(before);

    // The same plan as Admin API calls or as a kcadm.sh script, alone on stdout.
    const restFormat = await plan([
      '--client',
      'app-01',
      '--strategy',
      'client-scope',
      '--plan',
      file('rest.json'),
      '--format',
      'rest',
    ]);
    expect(restFormat.code).toBe(1);
    expect(restFormat.stdout).toContain(`POST ${keycloakUrl()}/admin/realms/${realm}/client-scopes`);
    expect(restFormat.stderr).toContain(`Plan written to ${file('rest.json')}.`);
    const kcadm = await plan([
      '--client',
      'app-01',
      '--strategy',
      'client-scope',
      '--plan',
      file('kcadm.json'),
      '--format',
      'kcadm',
    ]);
    expect(kcadm.stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);

    const applied = await fix(['--apply', file('fix.json')]);
    expect(applied.code, applied.stderr).toBe(0);
    const again = await plan(['--client', ...clients, '--strategy', 'client-scope', '--plan', file('again.json')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`No changes for realm "${realm}"`);
    expect(again.stdout).toContain(`  - app-01: Its access tokens already carry its clientId.`);
    expect(readJson<PlanFileLike>(file('again.json')).steps).toEqual([]);
    // --all-missing finds nothing left to fix among these.
    const allMissing = await plan(['--all-missing', '--strategy', 'dedicated-mapper', '--plan', file('all.json')]);
    expect(allMissing.code).toBe(1);
    expect(allMissing.stdout).toContain(`1 change for 1 client: ${WORKER_CLIENT_ID}.`);
  });

  test('apply fixes the realm (exit 0), journals the run and prints each proof with its judge', async () => {
    await freshRealm(2);
    const clients = ['app-01', 'app-02', WORKER_CLIENT_ID];
    expect(await verdicts(clients)).toEqual({
      'app-01': 'missing',
      'app-02': 'missing',
      [WORKER_CLIENT_ID]: 'missing',
    });
    expect((await plan(['--all-missing', '--strategy', 'dedicated-mapper', '--plan', file('fix.json')])).code).toBe(1);

    const run = await fix(['--apply', file('fix.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Applied 3 steps for 3 clients. Journal: ${file('fix.journal.json')}`);
    expect(run.stdout).toContain(
      `  ok          ${WORKER_CLIENT_ID}: the token carries "${WORKER_CLIENT_ID}" (judge: example token; for service account of ${WORKER_CLIENT_ID};`,
    );
    for (const clientId of ['app-01', 'app-02']) {
      expect(run.stdout).toMatch(
        new RegExp(
          `  ok {10}${clientId}: the token carries "${clientId}" \\(judge: example token; for .*${FIX_USER.username}`,
        ),
      );
    }
    expect(await verdicts(clients)).toEqual({ 'app-01': 'ok', 'app-02': 'ok', [WORKER_CLIENT_ID]: 'ok' });
    const journal = readJson<JournalLike>(file('fix.journal.json'));
    expect(journal).toMatchObject({ state: 'applied', realm, keycloakUrl: keycloakUrl() });
    expect(journal.steps.map((step) => step.status)).toEqual(['written', 'written', 'written']);

    // Applying the same file again: its journal holds a run whose writes are in Keycloak, so it is kept.
    const twice = await fix(['--apply', file('fix.json')]);
    expect(twice.code).toBe(2);
    expect(errorLine(twice)).toContain('whose writes may still be in Keycloak');
    // With another journal: the realm is fixed already, so the plan is stale.
    const stale = await fix(['--apply', file('fix.json'), '--journal', file('other.journal.json')]);
    expect(stale.code).toBe(3);
  });

  test('a realm changed between plan and apply: exit 3 and nothing written', async () => {
    await freshRealm(2);
    expect(
      (await plan(['--client', 'app-01', 'app-02', '--strategy', 'client-scope', '--plan', file('a.json')])).code,
    ).toBe(1);
    expect((await plan(['--client', 'app-01', '--strategy', 'dedicated-mapper', '--plan', file('b.json')])).code).toBe(
      1,
    );

    // Someone takes the name the plan chose for app-02's scope.
    await admin.clientScopes.create({ realm, name: 'app-02-audience', protocol: 'openid-connect' });
    const before = await realmState(admin, realm);
    const taken = await fix(['--apply', file('a.json')]);
    expect(taken.code).toBe(3);
    expect(errorLine(taken)).toContain('the realm changed since the plan was made; nothing was written');
    expect(taken.stderr).toContain('app-02-audience-2');
    expect(counts(await realmState(admin, realm))).toEqual(counts(before));
    expect(await realmState(admin, realm)).toEqual(before);

    // Someone fixes app-01 by hand: the plan's mapper is no longer needed.
    const [app] = await admin.clients.find({ realm, clientId: 'app-01' });
    await admin.clients.addProtocolMapper(
      { realm, id: app?.id as string },
      {
        name: 'by hand',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: { 'included.client.audience': 'app-01', 'access.token.claim': 'true' },
      },
    );
    const fixed = await realmState(admin, realm);
    const byHand = await fix(['--apply', file('b.json')]);
    expect(byHand.code).toBe(3);
    expect(byHand.stderr).toContain('no longer needed');
    expect(counts(await realmState(admin, realm))).toEqual(counts(fixed));
    expect(await realmState(admin, realm)).toEqual(fixed);
  });

  test('a write refused mid-run (409): the run rolls back, the realm is as it was, exit 4', async () => {
    test.setTimeout(180_000);
    await freshRealm(30);
    const apps = appIds(30);
    const last = apps.at(-1) as string;
    expect((await plan(['--client', ...apps, '--strategy', 'client-scope', '--plan', file('fix.json')])).code).toBe(1);
    const before = await realmState(admin, realm);

    const running = startFix(['--apply', file('fix.json'), '--concurrency', '1']);
    const journalFile = file('fix.journal.json');
    await watchJournal(journalFile, (journal) => journal.steps.some((step) => step.status === 'written'));
    // The plan creates "<last>-audience" last of all; someone creates one with other settings first.
    await admin.clientScopes.create({
      realm,
      name: `${last}-audience`,
      protocol: 'openid-connect',
      description: 'theirs',
    });
    const meanwhile = readJson<JournalLike>(journalFile);
    const lastCreate = meanwhile.steps.find((step) => step.write.scope?.name === `${last}-audience`);
    expect(lastCreate?.status, 'the run reached the last client before the scope was taken').toBe('pending');

    const run = await running.done;
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(`Step ${apps.length * 2 - 1} of ${apps.length * 2} failed`);
    expect(run.stderr).toContain(`"${last}-audience" was created by someone else meanwhile`);
    expect(run.stderr).toContain('Everything this run wrote has been undone.');
    const journal = readJson<JournalLike>(journalFile);
    expect(journal.state).toBe('rolled-back');
    expect(journal.steps.filter((step) => step.status === 'written')).toEqual([]);

    // Nothing of the run is left: the realm is as before, but for the scope someone else created.
    const after = await realmState(admin, realm);
    expect(after.clients).toEqual(before.clients);
    expect(after.clientScopes.filter((scope) => scope.name !== `${last}-audience`)).toEqual(before.clientScopes);
    expect(after.clientScopes.find((scope) => scope.name === `${last}-audience`)?.description).toBe('theirs');
  });

  test('undo of an applied run puts the realm back: with --yes, and without it when stdin is no terminal', async () => {
    await freshRealm(3);
    const before = await realmState(admin, realm);
    for (const [name, strategy] of [
      ['yes', 'client-scope'],
      ['piped', 'dedicated-mapper'],
    ] as const) {
      expect((await plan(['--all-missing', '--strategy', strategy, '--plan', file(`${name}.json`)])).code).toBe(1);
      expect((await fix(['--apply', file(`${name}.json`)])).code).toBe(0);
      expect(await realmState(admin, realm)).not.toEqual(before);
      const journal = file(`${name}.journal.json`);
      // runCommand gives the CLI a pipe for stdin: not a terminal, so it does not ask.
      const undo = await fix(name === 'yes' ? ['--undo', journal, '--yes'] : ['--undo', journal], 'n\n');
      expect(undo.code, undo.stderr).toBe(0);
      expect(undo.stderr).not.toContain('[y/N]');
      expect(undo.stdout).toMatch(/^Undone \(\d+\):\n {2}undone: /);
      expect(await realmState(admin, realm)).toEqual(before);
      expect(readJson<JournalLike>(journal).state).toBe('undone');
      const again = await fix(['--undo', journal, '--yes']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Nothing to undo');
    }
  });

  test('undo takes a journal as the dashboard saves it', async () => {
    await freshRealm(2);
    const before = await realmState(admin, realm);
    // The dashboard's run: the same session, journaled in its own store.
    const store = memoryJournalStore();
    const session = createRunSession({ api: createRemediationApi(admin), keycloakUrl: keycloakUrl(), journal: store });
    const state = await session.read(realm);
    const preview = session.plan(state, {
      clientIds: ['app-01', 'app-02'],
      options: { strategy: 'client-scope', runId: `dashboard-${Date.now()}` },
    });
    expect((await session.apply(preview)).status).toBe('applied');
    const [journal] = store.list();
    writeFileSync(file('download.json'), JSON.stringify(journal));

    const wrongRealm = await fix(['--undo', file('download.json'), '--realm', 'demo', '--yes']);
    expect(wrongRealm.code).toBe(2);
    expect(errorLine(wrongRealm)).toContain(`is for realm ${realm}, not demo: nothing was written`);
    const undo = await fix(['--undo', file('download.json'), '--yes']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await realmState(admin, realm)).toEqual(before);
  });

  test('a killed apply can be undone from its journal: the realm is exactly as before', async () => {
    test.setTimeout(180_000);
    await freshRealm(30);
    const before = await realmState(admin, realm);
    expect((await plan(['--all-missing', '--strategy', 'client-scope', '--plan', file('fix.json')])).code).toBe(1);

    const running = startFix(['--apply', file('fix.json'), '--concurrency', '1']);
    const journalFile = file('fix.journal.json');
    await watchJournal(journalFile, (journal) => journal.steps.some((step) => step.status === 'written'));
    running.child.kill('SIGKILL');
    const killed = await running.done;
    expect(killed.signal).toBe('SIGKILL');
    const journal = readJson<JournalLike>(journalFile);
    expect(journal.state).toBe('running');
    expect(journal.steps.some((step) => step.status === 'pending')).toBe(true);
    expect(await realmState(admin, realm)).not.toEqual(before);

    const undo = await fix(['--undo', journalFile, '--yes']);
    expect(undo.code, undo.stderr).toBe(0);
    const after = await realmState(admin, realm);
    expect(after.clientScopes).toEqual(before.clientScopes);
    for (const client of before.clients) {
      const now = after.clients.find((item) => item.clientId === client.clientId);
      expect(now?.defaultClientScopes, client.clientId).toEqual(client.defaultClientScopes);
    }
    expect(after).toEqual(before);
  });

  test('Ctrl-C during an apply stops it and undoes what it wrote: exit 4', async () => {
    test.setTimeout(180_000);
    await freshRealm(30);
    const before = await realmState(admin, realm);
    expect((await plan(['--all-missing', '--strategy', 'client-scope', '--plan', file('fix.json')])).code).toBe(1);

    const running = startFix(['--apply', file('fix.json'), '--concurrency', '1']);
    await watchJournal(file('fix.journal.json'), (journal) => journal.steps.some((step) => step.status === 'written'));
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('Interrupted: stopping, then undoing what this run wrote');
    expect(run.stderr).toMatch(/Cancelled after \d+ of \d+ steps\. Everything this run wrote has been undone\./);
    expect(readJson<JournalLike>(file('fix.journal.json')).state).toBe('rolled-back');
    expect(await realmState(admin, realm)).toEqual(before);
  });

  test('a plan for another server or realm is refused (exit 2), nothing written', async () => {
    await freshRealm(1);
    expect(
      (await plan(['--client', 'app-01', '--strategy', 'dedicated-mapper', '--plan', file('fix.json')])).code,
    ).toBe(1);
    const before = await realmState(admin, realm);
    const saved = readJson<PlanFileLike>(file('fix.json'));
    writeFileSync(file('elsewhere.json'), JSON.stringify({ ...saved, keycloakUrl: 'https://keycloak.example.com' }));

    const server = await fix(['--apply', file('elsewhere.json')]);
    expect(server.code).toBe(2);
    expect(errorLine(server)).toBe(
      `error: the plan ${file('elsewhere.json')} is for the Keycloak at https://keycloak.example.com, not ${keycloakUrl()}: nothing was written`,
    );
    const otherRealm = await fix(['--apply', file('fix.json'), '--realm', 'demo']);
    expect(otherRealm.code).toBe(2);
    expect(errorLine(otherRealm)).toContain(`is for realm ${realm}, not demo: nothing was written`);
    writeFileSync(file('broken.json'), JSON.stringify({ ...saved, steps: [{ write: { kind: 'drop-realm' } }] }));
    const broken = await fix(['--apply', file('broken.json')]);
    expect(broken.code).toBe(2);
    expect(errorLine(broken)).toContain('Not a valid plan file at steps.0.write.kind');
    expect(await realmState(admin, realm)).toEqual(before);
  });

  test('shared scope: refused without --accept-cross-trust (exit 2), and the consent recorded with it', async () => {
    await freshRealm(2);
    const args = ['--client', 'app-01', 'app-02', '--strategy', 'shared-scope'];
    const refused = await plan([...args, '--plan', file('refused.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('accept each other');
    expect(refused.stderr).toContain('  - app-01 will accept access tokens issued to app-02');
    expect(refused.stderr).toContain('  - app-02 will accept access tokens issued to app-01');
    expect(refused.stderr).toContain('--accept-cross-trust');

    const agreed = await plan([...args, '--accept-cross-trust', '--plan', file('fix.json')]);
    expect(agreed.code).toBe(1);
    expect(agreed.stdout).toContain('Who accepts whose tokens afterwards:');
    const saved = readJson<PlanFileLike>(file('fix.json'));
    expect(saved.crossTrustAccepted).toBe(true);
    expect(saved.crossAcceptance).toEqual([
      { clientId: 'app-01', accepts: ['app-02'] },
      { clientId: 'app-02', accepts: ['app-01'] },
    ]);
    const applied = await fix(['--apply', file('fix.json')]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await verdicts(['app-01', 'app-02'])).toEqual({ 'app-01': 'ok', 'app-02': 'ok' });
  });
});
