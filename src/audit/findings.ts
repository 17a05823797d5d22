import type { RequirementSource } from './requirements.ts';

/**
 * `cannot-judge`: the admin could not see something the verdict depends on (a client scope the client names,
 * the client list itself). What could not be seen is never turned into `missing`.
 */
export type Verdict = 'ok' | 'missing' | 'conditional' | 'unpredictable' | 'not-applicable' | 'cannot-judge';

export type ClientKind = 'public' | 'confidential' | 'bearer-only' | 'service-account' | 'saml';

/** When a container's mappers run for a client's access token. */
export type Applies = 'always' | 'role-restricted' | 'optional';

export interface ContainerRef {
  type: 'client' | 'scope';
  /** The client's own mappers show as "<clientId>-dedicated", as in the admin console. */
  name: string;
  id: string;
  attachment: 'dedicated' | 'default' | 'optional';
  applies: Applies;
}

export interface MapperRef {
  id: string | undefined;
  name: string;
  type: string;
}

export interface Evidence {
  container: ContainerRef;
  mapper: MapperRef;
  /** The value the mapper adds to `aud`. */
  value: string;
}

export type ProblemCode =
  | 'token-flag-off'
  | 'lightweight-flag-missing'
  | 'uuid-value'
  | 'empty-value'
  | 'unknown-client'
  | 'optional-not-default'
  | 'role-restricted'
  | 'lightweight-policy'
  | 'aud-override'
  | 'mapper-type-not-deployed'
  | 'scope-not-visible'
  | 'disabled-client'
  | 'requirements-unreadable'
  | 'callers-unreadable'
  | 'unknown-caller';

export interface Problem {
  code: ProblemCode;
  message: string;
  container?: ContainerRef;
  mapper?: MapperRef;
}

export interface ConditionalAudience {
  value: string;
  container: ContainerRef;
}

/** Whether one required audience reaches the client's access tokens: always, only for some logins, or not. */
export type RequirementStatus = 'met' | 'conditional' | 'unmet';

export interface RequirementVerdict {
  audience: string;
  status: RequirementStatus;
  /** One line a realm admin understands. */
  reason: string;
  /** The mappers that add the audience. */
  evidence: Evidence[];
  /** Set when only the audience's own client requires it here, by naming this one in audience-doctor.callers. */
  declared?: true;
}

export interface ClientAudit {
  id: string;
  clientId: string;
  name: string | undefined;
  kind: ClientKind;
  builtIn: boolean;
  lightweight: boolean;
  verdict: Verdict;
  /** One line a realm admin understands. */
  reason: string;
  /**
   * The verdict on its own clientId in aud, which the own-audience fixes act on: the same as `verdict` unless
   * its requirements name other audiences.
   */
  ownVerdict: Verdict;
  /** The mappers that put the client's own clientId into `aud`. */
  evidence: Evidence[];
  problems: Problem[];
  /** Where the audiences its tokens must carry come from (`default`: its own clientId). */
  requirementSource: RequirementSource;
  /** The clients whose audience-doctor.callers names this client: each is required in its tokens. */
  declaredBy: string[];
  /** One verdict per required audience; the client's verdict is the worst of them (none: nothing required). */
  requirements: RequirementVerdict[];
  /** Audiences its tokens carry, always or for some logins, that no requirement names: services that accept them. */
  unrequiredAudiences: string[];
  /** Audiences that the client's mappers and default scopes add for every user. */
  audiences: string[];
  /** Audiences added only when an optional scope is requested or the user holds a scope's role. */
  conditionalAudiences: ConditionalAudience[];
  /** Whether the audience-resolve mapper runs: clients the user has roles of join `aud` (never the client itself). */
  roleAudiences: boolean;
  /**
   * What an example token (the evaluate endpoint) cannot show for this client: client policies, grant and
   * consent checks, token post-processors. Empty when an example token shows what a real one carries.
   */
  exampleBlindSpots: string[];
  /** Facts a realm admin should know that change no verdict (such as a scope every user gets through default roles). */
  notes: string[];
}

export interface AudienceHolder {
  clientId: string;
  applies: Applies;
}

/** Whether the tokens of the clients that call X pass X's token introspection. */
export interface IntrospectionReadiness {
  /**
   * Whether this Keycloak answers `active:false` to X for a token without X in aud (26.4.12, 26.6.2, 26.7.0):
   * undefined when the server's version is unknown.
   */
  checksAudience: boolean | undefined;
  /** X's own switch to skip that check (Boolean.parseBoolean: "true" in any case). */
  withoutAudienceCheck: boolean;
  /** The clients whose requirements name X, and whether their tokens carry it. */
  callers: { clientId: string; status: RequirementStatus }[];
  /** The callers whose tokens X's introspection would call inactive once it checks aud. */
  failing: string[];
  /** The clients whose tokens carry X today: what a switch-off would still let through. */
  carriedBy: AudienceHolder[];
}

/** Whose tokens a client with standard token exchange (V2) may exchange, and what it may narrow them to. */
export interface ExchangeReadiness {
  /** Whether this Keycloak has standard token exchange (26.2 and later); undefined when the version is unknown. */
  available: boolean | undefined;
  /** Keycloak refuses the exchange to a public client ("Public client is not allowed to exchange token"). */
  publicClient: boolean;
  /**
   * The clients whose tokens carry this one in aud, always or for some logins: the tokens it may exchange
   * besides its own (StandardTokenExchangeProvider.validateAudience: "Client is not within the token audience").
   */
  acceptsTokensOf: AudienceHolder[];
  /**
   * What its `audience` parameter can narrow the new token to: the enabled clients that its own mappers and
   * scopes put in its tokens (V2 only filters aud, it never adds: a requested audience absent from the result
   * fails with "Requested audience not available").
   */
  narrowsTo: string[];
}

export interface RealmAudit {
  realm: string;
  clients: ClientAudit[];
  /** clientId X → the clients whose tokens carry X in `aud`. */
  audienceIndex: Record<string, AudienceHolder[]>;
  /** clientId X → whether the tokens of the clients that require X pass X's token introspection. */
  introspection: Record<string, IntrospectionReadiness>;
  /** clientId → what a client with standard token exchange on may exchange and narrow to. */
  exchange: Record<string, ExchangeReadiness>;
  /** What could not be checked, e.g. client policies without view-realm. */
  notes: string[];
  /**
   * Set when nothing in the realm could be judged (Keycloak listed no clients, which every realm has: the
   * account may not view them), with the next step.
   */
  cannotJudge: string | undefined;
}
