import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import { expect, test } from '@playwright/test';
import { keycloakUrl, masterAdmin } from './admin-api.ts';
import { asMasterAdmin, audit, buildCli, runCli } from './cli.ts';
import { requestToken } from './real-tokens.ts';

/**
 * A spec's own realm, made fresh before its tests and dropped after them, with a scratch folder for plan and
 * journal files; returns a getter for the folder.
 */
export function useScratchRealm(rep: RealmRepresentation & { realm: string }): () => string {
  let folder = '';
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await buildCli();
    const admin = await masterAdmin();
    if (await admin.realms.findOne({ realm: rep.realm })) await admin.realms.del({ realm: rep.realm });
    await admin.realms.create({ enabled: true, ...rep });
    folder = mkdtempSync(join(tmpdir(), `audience-doctor-${rep.realm}-`));
  });
  test.afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    const admin = await masterAdmin();
    if (await admin.realms.findOne({ realm: rep.realm })) await admin.realms.del({ realm: rep.realm });
  });
  return () => folder;
}

/** The CLI's JSON report of one realm (exit 0: --fail-on none), by clientId. */
export async function jsonReport<T extends { clientId: string }>(realm: string): Promise<(clientId: string) => T> {
  const run = await audit(['--realm', realm, '--format', 'json', '--fail-on', 'none', ...asMasterAdmin]);
  expect(run.code, run.stderr).toBe(0);
  const clients: T[] = JSON.parse(run.stdout).clients;
  return (clientId) => {
    const found = clients.find((client) => client.clientId === clientId);
    if (!found) throw new Error(`no ${clientId} in the report of ${realm}`);
    return found;
  };
}

/** `fix --strategy cross-client`: planned into a file, then that plan applied, as a pipeline would. */
export async function putAudienceIntoTokens(realm: string, audience: string, caller: string, folder: string) {
  const plan = join(folder, `plan-${audience}-${caller}.json`);
  const connection = ['--url', keycloakUrl(), ...asMasterAdmin];
  const planned = await runCli([
    'fix',
    ...connection,
    '--realm',
    realm,
    '--strategy',
    'cross-client',
    '--audience',
    audience,
    '--client',
    caller,
    '--plan',
    plan,
  ]);
  expect(planned.code, planned.stderr).toBe(1);
  const journal = join(folder, `journal-${audience}-${caller}.json`);
  const applied = await runCli(['fix', ...connection, '--apply', plan, '--journal', journal]);
  expect(applied.code, applied.stderr).toBe(0);
}

export interface ScratchUser {
  username: string;
  password: string;
}

/** A user who can sign in at once: verified email, full profile, a non-temporary password. */
export const scratchUser = ({ username, password }: ScratchUser, realm: string) => ({
  username,
  enabled: true,
  email: `${username}@${realm}.example`,
  emailVerified: true,
  firstName: 'Scratch',
  lastName: 'User',
  credentials: [{ type: 'password', value: password, temporary: false }],
});

/** A real access token from the password grant of a public client. */
export async function passwordGrantToken(realm: string, clientId: string, user: ScratchUser): Promise<string> {
  const outcome = await requestToken('password', { baseUrl: keycloakUrl(), realm, clientId, user });
  if (outcome.kind !== 'token') throw new Error(`${clientId}: ${outcome.error} ${outcome.description ?? ''}`);
  return outcome.accessToken;
}
