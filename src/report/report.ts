import type {
  ClientAudit,
  Evidence,
  ExchangeReadiness,
  IntrospectionReadiness,
  Problem,
  RealmAudit,
  RequirementSource,
  RequirementVerdict,
  Verdict,
} from '../audit/index.ts';

/** Raised when a field of the JSON report changes its meaning or goes away (2: requirements; 3: unrequiredAudiences leaves built-in clients to --include-builtin). */
export const REPORT_SCHEMA_VERSION = 3;

/** What a token that Keycloak generated for `--verify-user` showed. */
export interface TokenVerification {
  user: string;
  /** The example access token's aud. */
  aud: string[];
  ownInToken: boolean;
  /** null when the verdict makes no prediction (unpredictable). */
  agrees: boolean | null;
}

/** One client in every output format; the JSON format prints exactly this. */
export interface ClientReport {
  clientId: string;
  id: string;
  verdict: Verdict;
  reason: string;
  evidence: Evidence[];
  problems: Problem[];
  audiences: string[];
  /** Where the required audiences come from: `default` is the own clientId. */
  requirementSource: RequirementSource;
  /** One per required audience: `{ audience, status, reason, evidence }`. */
  requirements: RequirementVerdict[];
  /** The clients whose audience-doctor.callers names this one: each is among its requirements. */
  declaredBy: string[];
  /**
   * Audiences the tokens carry, always or for some logins, that no requirement names. Keycloak's own clients
   * (account, realm-management, <realm>-realm…) are listed here only with --include-builtin.
   */
  unrequiredAudiences: string[];
  /** The carried, unrequired audiences that are Keycloak's own clients, with or without --include-builtin. */
  builtInAudiences: string[];
  /** Set when other clients require this one in their tokens, or its introspection skips the audience check. */
  introspection: IntrospectionReadiness | null;
  /** Set for a client with standard token exchange on. */
  exchange: ExchangeReadiness | null;
  builtIn: boolean;
  /** Only with --verify-user; null for clients that get no token of their own, or realms without that user. */
  verification?: TokenVerification | null;
}

export interface RealmReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  realm: string;
  /** Only master-realm admins may read the server version. */
  keycloakVersion: string | null;
  /** Set when nothing in the realm could be judged (Keycloak listed no clients), with the next step. */
  cannotJudge: string | null;
  clients: ClientReport[];
  /** What could not be checked. */
  notes: string[];
}

export interface ReportOptions {
  includeBuiltIn: boolean;
  keycloakVersion: string | undefined;
  /** Present with --verify-user: client id → what its token showed (null: no token). */
  verifications?: Map<string, TokenVerification | null>;
  extraNotes?: string[];
}

function clientReport(
  audit: ClientAudit,
  options: ReportOptions,
  realm: Pick<RealmAudit, 'introspection' | 'exchange'>,
  builtInClientIds: ReadonlySet<string>,
): ClientReport {
  const builtInAudiences = audit.unrequiredAudiences.filter((audience) => builtInClientIds.has(audience));
  const report: ClientReport = {
    clientId: audit.clientId,
    id: audit.id,
    verdict: audit.verdict,
    reason: audit.reason,
    evidence: audit.evidence,
    problems: audit.problems,
    audiences: audit.audiences,
    requirementSource: audit.requirementSource,
    declaredBy: audit.declaredBy,
    requirements: audit.requirements,
    unrequiredAudiences: options.includeBuiltIn
      ? audit.unrequiredAudiences
      : audit.unrequiredAudiences.filter((audience) => !builtInClientIds.has(audience)),
    builtInAudiences,
    introspection: realm.introspection[audit.clientId] ?? null,
    exchange: realm.exchange[audit.clientId] ?? null,
    builtIn: audit.builtIn,
  };
  if (options.verifications) report.verification = options.verifications.get(audit.id) ?? null;
  return report;
}

/** Keycloak's own clients (admin-cli, account, …) are left out unless asked for: they never carry their own aud. */
export function toRealmReport(audit: RealmAudit, options: ReportOptions): RealmReport {
  const builtInClientIds = new Set(audit.clients.filter((client) => client.builtIn).map((client) => client.clientId));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    realm: audit.realm,
    keycloakVersion: options.keycloakVersion ?? null,
    cannotJudge: audit.cannotJudge ?? null,
    clients: audit.clients
      .filter((client) => options.includeBuiltIn || !client.builtIn)
      .map((client) => clientReport(client, options, audit, builtInClientIds)),
    notes: [...audit.notes, ...(options.extraNotes ?? [])],
  };
}
