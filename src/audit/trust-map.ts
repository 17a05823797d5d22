import { auditRealm } from './audit-realm.ts';
import type { Applies, ClientAudit, Evidence, RealmAudit, RequirementStatus } from './findings.ts';
import type { RealmSnapshot } from './snapshot.ts';

/** Whether a caller's access tokens carry an audience: for every login, only for some, or not by any mapper. */
export type Carried = 'always' | 'conditional' | 'never';

/** Where an audience in a caller's tokens comes from. */
export interface TrustSource {
  /** `<clientId>-dedicated` for the client's own mappers, else the client scope's name. */
  container: string;
  containerType: 'client' | 'scope';
  attachment: 'dedicated' | 'default' | 'optional';
  applies: Applies;
  /** Undefined when only the container is known. */
  mapper: string | undefined;
}

export interface TrustCell {
  caller: string;
  audience: string;
  required: boolean;
  /** The requirement's verdict, when the audience is required. */
  status: RequirementStatus | undefined;
  carried: Carried;
  /**
   * Not carried by a mapper, but the caller's audience-resolve mapper adds a client for a user holding one of its
   * roles: whether it does depends on the user, which the map cannot know without asking Keycloak per user.
   */
  perUser: boolean;
  sources: TrustSource[];
}

export interface TrustCaller {
  clientId: string;
  id: string;
  builtIn: boolean;
  /** Its tokens get client audiences from the user's roles (the audience-resolve mapper runs). */
  perUser: boolean;
  /** Why nothing of this row could be judged, if so. */
  cannotJudge: string | undefined;
  /** Set while the realm is read and this client's verdict still waits for part of it. */
  waiting: boolean;
  /** Only the cells that are required or carried; every other cell is "not required, never". */
  cells: Map<string, TrustCell>;
}

export interface TrustAudience {
  audience: string;
  /** It names a client of the realm (else a custom audience, or a client that does not exist). */
  isClient: boolean;
  builtIn: boolean;
  /** How many callers require it, and how many carry it always or for some logins. */
  requiredBy: number;
  carriedBy: number;
}

export interface TrustMap {
  realm: string;
  /** Clients that get tokens, by clientId. */
  callers: TrustCaller[];
  /** Only the audiences some token carries or some requirement names, by name. */
  audiences: TrustAudience[];
}

/** One line of the edge list: a required or carried audience of one caller. */
export interface TrustEdge {
  caller: string;
  audience: string;
  required: boolean;
  carried: Carried;
  perUser: boolean;
  /** "mapper M in scope S (default)" per source, joined with "; ". */
  source: string;
}

export interface TrustMapOptions {
  /** The audit from `sourceAudit`, which names the mapper of every carried audience, not only of required ones. */
  sources?: RealmAudit;
  /** Built-in clients (realm-management, account-console, …) as callers; off, their requirements add no column. */
  includeBuiltIn?: boolean;
  /** Client ids (uuids) whose verdicts still wait for part of the read. */
  waiting?: ReadonlySet<string>;
}

const STATUS_CARRIED: Record<RequirementStatus, Carried> = {
  met: 'always',
  conditional: 'conditional',
  unmet: 'never',
};

const toSource = (item: Evidence): TrustSource => ({
  container: item.container.name,
  containerType: item.container.type,
  attachment: item.container.attachment,
  applies: item.container.applies,
  mapper: item.mapper.name,
});

/**
 * The audit asked once more with every carried audience required, so that each gets the mappers that add it
 * as evidence (the audit keeps evidence for required audiences only). What tokens carry does not depend on
 * requirements, so this serves every "what if" of the same snapshot.
 */
export function sourceAudit(snapshot: RealmSnapshot, audit: RealmAudit): RealmAudit {
  const requirements = new Map<string, string[]>();
  for (const client of audit.clients) {
    const carried = [...client.audiences, ...client.conditionalAudiences.map((item) => item.value)];
    if (carried.length > 0) requirements.set(client.clientId, [...new Set(carried)]);
  }
  return auditRealm(snapshot, { requirements });
}

/** A client that gets tokens; one without (bearer-only, no grant, SAML) is only ever an audience. */
const isCaller = (client: ClientAudit) => client.ownVerdict !== 'not-applicable';

function callerOf(
  client: ClientAudit,
  sources: ClientAudit | undefined,
  waiting: ReadonlySet<string> | undefined,
): TrustCaller {
  const cells = new Map<string, TrustCell>();
  const sourceEvidence = new Map((sources?.requirements ?? []).map((item) => [item.audience, item.evidence]));
  const sourcesOf = (audience: string, evidence: Evidence[] = []): TrustSource[] => {
    const found = evidence.length > 0 ? evidence : (sourceEvidence.get(audience) ?? []);
    if (found.length > 0) return found.map(toSource);
    // Without the source audit a conditional audience still names its container.
    return client.conditionalAudiences
      .filter((item) => item.value === audience)
      .map(({ container }) => ({
        container: container.name,
        containerType: container.type,
        attachment: container.attachment,
        applies: container.applies,
        mapper: undefined,
      }));
  };
  for (const requirement of client.requirements) {
    const carried = STATUS_CARRIED[requirement.status];
    cells.set(requirement.audience, {
      caller: client.clientId,
      audience: requirement.audience,
      required: true,
      status: requirement.status,
      carried,
      perUser: false,
      sources: sourcesOf(requirement.audience, requirement.evidence),
    });
  }
  const carry = (audience: string, carried: Carried) => {
    if (audience === '' || cells.has(audience)) return;
    cells.set(audience, {
      caller: client.clientId,
      audience,
      required: false,
      status: undefined,
      carried,
      perUser: false,
      sources: sourcesOf(audience),
    });
  };
  for (const audience of client.audiences) carry(audience, 'always');
  for (const item of client.conditionalAudiences) carry(item.value, 'conditional');
  return {
    clientId: client.clientId,
    id: client.id,
    builtIn: client.builtIn,
    perUser: client.roleAudiences,
    cannotJudge: client.verdict === 'cannot-judge' ? client.reason : undefined,
    waiting: waiting?.has(client.id) ?? false,
    cells,
  };
}

/** The realm's callers × audiences: who must carry what, and who carries what today. */
export function buildTrustMap(audit: RealmAudit, options: TrustMapOptions = {}): TrustMap {
  const sourcesByClient = new Map((options.sources?.clients ?? []).map((client) => [client.clientId, client]));
  const clients = new Map(audit.clients.map((client) => [client.clientId, client]));
  const callers = audit.clients
    .filter((client) => isCaller(client) && (options.includeBuiltIn || !client.builtIn))
    .map((client) => callerOf(client, sourcesByClient.get(client.clientId), options.waiting))
    .sort((a, b) => compareNames(a.clientId, b.clientId));

  const counts = new Map<string, { requiredBy: number; carriedBy: number }>();
  for (const caller of callers) {
    for (const cell of caller.cells.values()) {
      const count = counts.get(cell.audience) ?? { requiredBy: 0, carriedBy: 0 };
      if (cell.required) count.requiredBy += 1;
      if (cell.carried !== 'never') count.carriedBy += 1;
      counts.set(cell.audience, count);
    }
  }
  const audiences = [...counts.entries()]
    .map(([audience, count]): TrustAudience => {
      const client = clients.get(audience);
      return { audience, isClient: client !== undefined, builtIn: client?.builtIn ?? false, ...count };
    })
    .sort((a, b) => compareNames(a.audience, b.audience));
  return { realm: audit.realm, callers, audiences };
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Any cell of the map, also one that is neither required nor carried. */
export function cellOf(caller: TrustCaller, audience: TrustAudience): TrustCell {
  const marked = caller.cells.get(audience.audience);
  // Audience-resolve never adds the caller itself, only other clients.
  const perUser = caller.perUser && audience.isClient && audience.audience !== caller.clientId;
  if (marked) return marked.carried === 'never' && perUser ? { ...marked, perUser } : marked;
  return {
    caller: caller.clientId,
    audience: audience.audience,
    required: false,
    status: undefined,
    carried: 'never',
    perUser,
    sources: [],
  };
}

/** "Audience mapper "m" in client scope "s" (default)", one per source. */
export function sourceText(sources: TrustSource[]): string {
  return sources
    .map((source) => {
      const where =
        source.containerType === 'client'
          ? `the client's own mappers (${source.container})`
          : `client scope "${source.container}" (${source.attachment}${source.applies === 'role-restricted' ? ', role-restricted' : ''})`;
      return source.mapper ? `mapper "${source.mapper}" in ${where}` : where;
    })
    .join('; ');
}

/** Every required or carried (caller, audience), row by row: what an edge list export holds. */
export function trustEdges(map: TrustMap): TrustEdge[] {
  const audiences = new Map(map.audiences.map((audience) => [audience.audience, audience]));
  const edges: TrustEdge[] = [];
  for (const caller of map.callers) {
    const marked = [...caller.cells.values()].sort((a, b) => compareNames(a.audience, b.audience));
    for (const found of marked) {
      const audience = audiences.get(found.audience);
      const cell = audience ? cellOf(caller, audience) : found;
      edges.push({
        caller: cell.caller,
        audience: cell.audience,
        required: cell.required,
        carried: cell.carried,
        perUser: cell.perUser,
        source: sourceText(cell.sources),
      });
    }
  }
  return edges;
}

/**
 * A client's own required audiences as the audit judged them: the list a "what if" edit starts from. What
 * other clients' declarations add stays theirs (it is added again to whatever the edit says).
 */
export function requiredAudiences(audit: RealmAudit, clientId: string): string[] {
  const client = audit.clients.find((item) => item.clientId === clientId);
  return client?.requirements.filter((item) => !item.declared).map((item) => item.audience) ?? [];
}
