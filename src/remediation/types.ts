import type { SkipCode } from '../audit/fixability.ts';
import type { ProtocolMapperRep } from '../audit/snapshot.ts';

/**
 * The first four put each client's own clientId into its tokens; cross-client puts another client's there;
 * requirements writes what the clients' tokens must carry (the audience-doctor.requires attribute).
 */
export type Strategy =
  | 'dedicated-mapper'
  | 'client-scope'
  | 'shared-scope'
  | 'repair'
  | 'cross-client'
  | 'requirements';

export const STRATEGIES: Strategy[] = [
  'dedicated-mapper',
  'client-scope',
  'shared-scope',
  'repair',
  'cross-client',
  'requirements',
];

export interface ClientTarget {
  /** The internal id used in Admin API paths. */
  id: string;
  clientId: string;
}

/** A scope that exists (id known) or that an earlier step of the same run creates (found by name). */
export interface ScopeTarget {
  name: string;
  id?: string;
}

export interface MapperBody {
  name: string;
  protocol: 'openid-connect';
  protocolMapper: string;
  config: Record<string, string>;
}

export interface ScopeBody {
  name: string;
  description: string;
  protocol: 'openid-connect';
  attributes: Record<string, string>;
  protocolMappers: MapperBody[];
}

/** A full mapper representation as PUT expects it. */
export type StoredMapper = ProtocolMapperRep & { id: string; name: string };

/** Every kind of Admin API write a plan or its undo can hold; each kind has one home in write-kinds/. */
export type Write =
  | { kind: 'create-client-mapper'; client: ClientTarget; mapper: MapperBody }
  | { kind: 'delete-client-mapper'; client: ClientTarget; mapperName: string }
  | { kind: 'update-client-mapper'; client: ClientTarget; mapper: StoredMapper; replaces: StoredMapper }
  | { kind: 'create-scope'; scope: ScopeBody }
  | { kind: 'delete-scope'; scope: ScopeTarget }
  | { kind: 'update-scope-mapper'; scope: ScopeTarget; mapper: StoredMapper; replaces: StoredMapper }
  | { kind: 'attach-default-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'detach-default-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'attach-optional-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'detach-optional-scope'; client: ClientTarget; scope: ScopeTarget }
  /** One client attribute; null is "absent". Applied only while the attribute still holds `replaces`. */
  | { kind: 'set-client-attribute'; client: ClientTarget; name: string; value: string | null; replaces: string | null };

export type WriteKind = Write['kind'];
export type WriteOf<K extends WriteKind> = Extract<Write, { kind: K }>;

export interface PlanStep {
  write: Write;
  /** What puts things back as they were; ids of created objects are known only once they exist. */
  undo: Write;
  /** The clients this step fixes. */
  clientIds: string[];
}

export interface SkippedClient {
  clientId: string;
  /** What decided it, for code; `reason` says it in words. */
  code: SkipCode;
  reason: string;
}

export interface CrossAcceptance {
  /** This service… */
  clientId: string;
  /** …will accept access tokens issued to these clients. */
  accepts: string[];
}

export interface PlanOptions {
  strategy: Strategy;
  runId: string;
  /**
   * Per-client scope: a wished name per clientId (default "<clientId>-audience"). Cross-client: the entry of
   * the API client (or of the custom audience) is the wished name of its audience scope.
   */
  scopeNames?: Record<string, string>;
  /** Shared scope: the one scope's wished name. */
  sharedScopeName?: string;
  /** Cross-client: the API client whose clientId the callers' tokens are to carry. */
  audienceClientId?: string;
  /**
   * Cross-client, instead of `audienceClientId`: a custom audience (a value that names no client, such as
   * "https://api.example.com") the callers' tokens are to carry, added as Included Custom Audience.
   */
  customAudience?: string;
  /** Requirements: per clientId the audiences its tokens must carry; null takes the attribute away (the default rule). */
  requirements?: Record<string, string[] | null>;
  /**
   * Requirements: per API clientId the callers whose tokens must carry it (audience-doctor.callers); null or
   * an empty list takes the attribute away.
   */
  callers?: Record<string, string[] | null>;
  /** Requirements: write over an attribute that holds no requirements list (the admin's explicit choice). */
  replaceUnreadable?: boolean;
  /** Requirements: accept audiences that name no client and that no mapper of the realm adds. */
  acceptUnknownAudiences?: boolean;
}

/** What was asked for: enough to make the plan again from fresh data. */
export interface FixRequest {
  clientIds: string[];
  options: PlanOptions;
}

export interface Plan {
  realm: string;
  runId: string;
  strategy: Strategy;
  /** What was asked for, so the plan can be made again from fresh data just before it is applied. */
  request: FixRequest;
  steps: PlanStep[];
  /** The clients the steps fix, in order. */
  fixes: string[];
  skipped: SkippedClient[];
  /** Side effects the admin should know of, e.g. a repaired scope that other clients use too. */
  notes: string[];
  /**
   * Who accepts whose tokens afterwards: each member of a shared scope the others' (applying needs explicit
   * consent), or the API client of a cross-client plan its callers' (what the admin asked for, so no consent).
   */
  crossAcceptance: CrossAcceptance[];
  requiresConsent: boolean;
  /** Cross-client only: the clientId the callers' tokens are to carry, or the custom audience (request.options.customAudience). */
  audience?: string;
}
