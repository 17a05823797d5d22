import type { RequirementLists } from '../audit/requirements.ts';
import { realmAccess } from '../keycloak/access.ts';
import type { AdminClient } from '../keycloak/admin.ts';
import { readAudited } from '../keycloak/audited-read.ts';
import { ApiError, adminCall } from '../keycloak/errors.ts';
import { type RealmReport, toRealmReport } from '../report/report.ts';
import { resourceAccessOf } from './auth.ts';
import { CliFailure } from './failure.ts';
import type { AuditOptions } from './options.ts';
import { verifyWithUser } from './verify-user.ts';

type Scope = Pick<
  AuditOptions,
  'realm' | 'authRealm' | 'includeBuiltIn' | 'verifyUser' | 'concurrency' | 'pageSize'
> & {
  requirements?: RequirementLists;
  /** Told how far the read of a realm is, when someone watches a terminal. */
  onProgress?: (realm: string, clientsRead: number) => void;
};

/** The realms the signed-in account administers at all, by name. */
async function listRealms(admin: AdminClient): Promise<string[]> {
  try {
    const realms = await adminCall(() => admin.realms.find({ briefRepresentation: true }));
    return realms
      .map((realm) => realm.realm ?? '')
      .filter(Boolean)
      .sort();
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'forbidden') {
      throw new CliFailure('cannot list realms: the account holds no admin role in any realm (Keycloak answered 403)');
    }
    throw error;
  }
}

async function auditOne(admin: AdminClient, realm: string, scope: Scope, single: boolean): Promise<RealmReport> {
  // Without realm-wide view-clients Keycloak pages after a whole read, so one request is cheaper then. A token
  // that names no roles (lightweight) leaves it unknown, and pages are read: the usual case is an admin.
  const roles = resourceAccessOf(admin.accessToken);
  const { snapshot, audit } = await readAudited(admin, realm, {
    concurrency: scope.concurrency,
    pageSize: scope.pageSize,
    requirements: scope.requirements,
    pagedClients: roles ? realmAccess(roles, realm, scope.authRealm).canViewClients : undefined,
    onAudit: scope.onProgress && ((progress) => scope.onProgress?.(realm, progress.snapshot.clients.length)),
  });
  const extraNotes: string[] = [];
  let verifications: Awaited<ReturnType<typeof verifyWithUser>>;
  if (scope.verifyUser) {
    verifications = await verifyWithUser(admin, audit, scope.verifyUser, scope.includeBuiltIn);
    if (!verifications) {
      if (single) throw new CliFailure(`--verify-user: realm ${realm} has no user "${scope.verifyUser}"`);
      extraNotes.push(`No token verified: the realm has no user "${scope.verifyUser}".`);
      verifications = new Map();
    }
  }
  return toRealmReport(audit, {
    includeBuiltIn: scope.includeBuiltIn,
    keycloakVersion: snapshot.keycloakVersion,
    verifications,
    extraNotes,
  });
}

/** Keycloak's answer, with the realm it was about; a network failure is explained once, for the server. */
function explained(realm: string, authRealm: string, error: unknown): never {
  if (error instanceof ApiError && error.kind !== 'network') {
    // A token of realm X administers realm X only; master's can administer any realm.
    const hint =
      error.kind === 'forbidden' && authRealm !== 'master' && authRealm !== realm
        ? ` An account of realm ${authRealm} administers only that realm: sign in to ${realm} or master.`
        : '';
    throw new CliFailure(`cannot audit realm ${realm}: ${error.message}${hint}`);
  }
  throw error;
}

/**
 * One realm, or every realm the account can read: realms it may list but not read (a partial admin role)
 * are skipped with a warning, and it is a failure only when none is left.
 */
export async function auditRealms(
  admin: AdminClient,
  scope: Scope,
  warn: (line: string) => void,
): Promise<RealmReport[]> {
  if (scope.realm) {
    const realm = scope.realm;
    return [
      await auditOne(admin, realm, scope, true).catch((error: unknown) => explained(realm, scope.authRealm, error)),
    ];
  }
  const reports: RealmReport[] = [];
  const skipped: string[] = [];
  for (const realm of await listRealms(admin)) {
    try {
      reports.push(await auditOne(admin, realm, scope, false));
    } catch (error) {
      // Listed but not readable (a partial admin role), or deleted since it was listed.
      const skippable = error instanceof ApiError && (error.kind === 'forbidden' || error.kind === 'not-found');
      if (!skippable) explained(realm, scope.authRealm, error);
      skipped.push(realm);
      warn(`skipped realm ${realm}: ${error.message}`);
    }
  }
  if (reports.length === 0) {
    throw new CliFailure(`cannot audit any realm: no view-clients in ${skipped.join(', ') || 'any realm'}`);
  }
  return reports;
}
