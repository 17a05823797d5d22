import { createRemediationApi } from '../keycloak/remediation-api.ts';
import type { JournalStore } from '../remediation/journal.ts';
import { failureReason } from '../remediation/port.ts';
import { createRunSession, type RealmState, type RunSession } from '../remediation/session.ts';
import { signIn } from './auth.ts';
import { type Connection, normalUrl } from './connection-options.ts';
import { CliFailure } from './failure.ts';

/** Signed in, with the fix workflow over the Admin API: the same session the dashboard runs. */
export async function openSession(
  connection: Connection,
  options: { journal?: JournalStore; concurrency?: number } = {},
): Promise<RunSession> {
  const admin = await signIn(connection.url, connection.authRealm, connection.credentials);
  return createRunSession({ api: createRemediationApi(admin), keycloakUrl: connection.url, ...options });
}

export async function readRealm(session: RunSession, realm: string): Promise<RealmState> {
  try {
    return await session.read(realm);
  } catch (error) {
    throw new CliFailure(`cannot read realm ${realm}: ${failureReason(error).replace(/\.$/, '')}`);
  }
}

/**
 * A file made for one Keycloak and realm is used there only: the URL given now must be the file's (the
 * credentials go where --url says, never where a file says), and so must --realm when given.
 */
export function checkTarget(
  what: string,
  recorded: { keycloakUrl: string; realm: string },
  url: string,
  realm: string | undefined,
): void {
  const madeFor = normalUrl(recorded.keycloakUrl) ?? recorded.keycloakUrl;
  if (madeFor !== url) {
    throw new CliFailure(`${what} is for the Keycloak at ${madeFor}, not ${url}: nothing was written`);
  }
  if (realm !== undefined && realm !== recorded.realm) {
    throw new CliFailure(`${what} is for realm ${recorded.realm}, not ${realm}: nothing was written`);
  }
}
