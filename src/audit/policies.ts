import { clientKind } from './client-settings.ts';
import type { ClientPoliciesSnapshot, ClientPolicy, ClientPolicyCondition, ClientRep } from './snapshot.ts';
import { ruleApplies } from './version-rules.ts';

export const LIGHTWEIGHT_EXECUTOR = 'use-lightweight-access-token';

/** The client-policy event a token request raises (ClientPolicyEvent), by the way the token is obtained. */
export type TokenEvent =
  | 'code-exchange'
  | 'implicit'
  | 'password'
  | 'service-account'
  | 'device'
  | 'ciba'
  | 'token-exchange'
  | 'jwt-grant';

/**
 * The events on which UseLightweightAccessTokenExecutor.executeOnEvent switches to lightweight tokens, the same
 * from 24.0 to 26.7 (read from the executor's switch in each release). An implicit-flow token is issued at the
 * authorization endpoint, which raises no token event.
 */
const LIGHTWEIGHT_EVENTS = new Set<TokenEvent>(['code-exchange', 'password', 'service-account', 'device', 'ciba']);

type Vote = 'yes' | 'no' | 'abstain' | 'unknown';

/** One request as a policy sees it: the event, and the optional scopes its `scope` parameter names. */
export interface PolicyRequest {
  event: TokenEvent;
  requestedScopes: string[];
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];

/** Keycloak's grant_type values, as the grant-type condition compares them. */
const GRANT_TYPE: Partial<Record<TokenEvent, string>> = {
  password: 'password',
  'service-account': 'client_credentials',
  device: 'urn:ietf:params:oauth:grant-type:device_code',
  'token-exchange': 'urn:ietf:params:oauth:grant-type:token-exchange',
  'jwt-grant': 'urn:ietf:params:oauth:grant-type:jwt-bearer',
};

/**
 * Which token events each condition votes on; on the others it abstains. From 26.7 the conditions vote by the
 * request context's type (ClientModelContext, ScopeParameterContext): every token event but the device one,
 * whose DeviceTokenRequestContext has neither. Before 26.7 each condition had its own event switch.
 */
function votesOn(condition: string, event: TokenEvent, modern: boolean): boolean {
  if (event === 'implicit') return false;
  switch (condition) {
    case 'client-access-type':
    case 'client-type':
      return modern ? event !== 'device' : ['code-exchange', 'service-account'].includes(event);
    case 'client-scopes':
      return modern
        ? event !== 'device'
        : ['code-exchange', 'service-account', 'ciba', 'token-exchange'].includes(event);
    case 'client-roles':
    case 'client-attributes':
      return modern ? event !== 'device' : ['code-exchange', 'service-account', 'ciba'].includes(event);
    case 'grant-type':
      // GrantTypeCondition: the code exchange and CIBA requests abstain.
      return GRANT_TYPE[event] !== undefined && (event !== 'jwt-grant' || modern);
    default:
      return false;
  }
}

/** Conditions that only vote on client registration or on the authorization request: they abstain here. */
const ABSTAINING_ON_TOKEN_REQUESTS = new Set([
  'acr-condition',
  'identity-provider-alias',
  'client-updater-context',
  'client-updater-source-groups',
  'client-updater-source-host',
  'client-updater-source-roles',
]);

/** ClientAttributesCondition reads a serialized list of {key, value}; every pair must equal the attribute. */
function attributesMatch(serialized: unknown, client: ClientRep): boolean | undefined {
  if (typeof serialized !== 'string') return false;
  let pairs: unknown;
  try {
    pairs = JSON.parse(serialized);
  } catch {
    return undefined;
  }
  if (!Array.isArray(pairs)) return undefined;
  const wanted = new Map<string, string[]>();
  for (const pair of pairs as { key?: unknown; value?: unknown }[]) {
    if (typeof pair?.key !== 'string') return false;
    wanted.set(pair.key, [...(wanted.get(pair.key) ?? []), String(pair.value ?? '')]);
  }
  if (wanted.size === 0) return true;
  return [...wanted].every(([key, values]) => values.length === 1 && client.attributes?.[key] === values[0]);
}

function scopesMatch(configuration: Record<string, unknown>, client: ClientRep, requested: string[]): boolean {
  const expected = list(configuration.scopes);
  if (!('scopes' in configuration)) return false;
  const isDefault = expected.some((name) => (client.defaultClientScopes ?? []).includes(name));
  const isRequested = expected.some(
    (name) => requested.includes(name) && (client.optionalClientScopes ?? []).includes(name),
  );
  // ClientScopesCondition compares the type case-sensitively; any other type never matches.
  switch (configuration.type) {
    case 'Default':
      return isDefault;
    case 'Optional':
      return isRequested;
    case 'Any':
      return isDefault || isRequested;
    default:
      return false;
  }
}

function rawVote(condition: ClientPolicyCondition, client: ClientRep, request: PolicyRequest, modern: boolean): Vote {
  const configuration = condition.configuration ?? {};
  const kind = condition.condition;
  if (kind === 'any-client') return 'yes';
  if (ABSTAINING_ON_TOKEN_REQUESTS.has(kind)) return 'abstain';
  if (!votesOn(kind, request.event, modern)) {
    return [
      'client-access-type',
      'client-type',
      'client-scopes',
      'client-roles',
      'client-attributes',
      'grant-type',
    ].includes(kind)
      ? 'abstain'
      : 'unknown';
  }
  const answer = (holds: boolean | undefined): Vote => (holds === undefined ? 'unknown' : holds ? 'yes' : 'no');
  switch (kind) {
    case 'client-access-type': {
      const type = clientKind(client);
      const accessType = type === 'public' || type === 'bearer-only' ? type : 'confidential';
      return answer(list(configuration.type).includes(accessType));
    }
    case 'client-type':
      return answer((client.protocol ?? 'openid-connect') === (configuration.protocol ?? 'openid-connect'));
    case 'client-scopes':
      return answer(scopesMatch(configuration, client, request.requestedScopes));
    case 'client-attributes':
      return answer(attributesMatch(configuration.attributes, client));
    case 'grant-type': {
      const types = list(configuration.grant_types ?? configuration.grantTypes);
      return answer(types.includes(GRANT_TYPE[request.event] as string));
    }
    default:
      // client-roles needs the client's own roles, which the snapshot does not read.
      return 'unknown';
  }
}

const negativeLogic = (condition: ClientPolicyCondition) => {
  const value = condition.configuration?.['is-negative-logic'];
  return value === true || value === 'true';
};

type Outcome = 'yes' | 'no' | 'unknown';

/** DefaultClientPolicyManager.isSatisfied: any NO fails; ABSTAIN is skipped (fails in STRICT mode); one YES needed. */
function policyApplies(policy: ClientPolicy, client: ClientRep, request: PolicyRequest, modern: boolean): Outcome {
  if (policy.enabled === false) return 'no';
  const conditions = policy.conditions ?? [];
  if (conditions.length === 0) return 'no';
  // ClientPolicyMode ships in the same release as the context-based votes (26.7).
  const strict = modern && policy.mode === 'STRICT';
  const votes = conditions.map((condition) => {
    const vote = rawVote(condition, client, request, modern);
    if (!negativeLogic(condition)) return vote;
    return vote === 'yes' ? 'no' : vote === 'no' ? 'yes' : vote;
  });
  const decide = (unknownAs: 'yes' | 'no'): boolean => {
    let anyYes = false;
    for (const vote of votes) {
      const settled = vote === 'unknown' ? unknownAs : vote;
      if (settled === 'no') return false;
      if (settled === 'abstain') {
        if (strict) return false;
        continue;
      }
      anyYes = true;
    }
    return anyYes;
  };
  const optimistic = decide('yes');
  const pessimistic = decide('no');
  return optimistic === pessimistic ? (optimistic ? 'yes' : 'no') : 'unknown';
}

export interface LightweightDecision {
  outcome: Outcome;
  /** The policies that apply, or may. */
  policies: string[];
  /** Why the outcome is unknown, when it is. */
  why?: string;
}

const lightweightPoliciesOf = new WeakMap<ClientPoliciesSnapshot, ClientPolicy[]>();

/** The policies with a profile that holds the lightweight executor: asked for every request of every client. */
function policiesWithLightweightProfile(policies: ClientPoliciesSnapshot): ClientPolicy[] {
  let relevant = lightweightPoliciesOf.get(policies);
  if (!relevant) {
    const profiles = new Set(
      policies.profiles
        .filter((profile) => profile.executors?.some((executor) => executor.executor === LIGHTWEIGHT_EXECUTOR))
        .map((profile) => profile.name),
    );
    relevant = policies.policies.filter((policy) => policy.profiles?.some((name) => profiles.has(name)));
    lightweightPoliciesOf.set(policies, relevant);
  }
  return relevant;
}

function decideFor(
  policies: ClientPoliciesSnapshot,
  client: ClientRep,
  request: PolicyRequest,
  modern: boolean,
): LightweightDecision {
  if (!LIGHTWEIGHT_EVENTS.has(request.event)) return { outcome: 'no', policies: [] };
  const outcomes = policiesWithLightweightProfile(policies).map((policy) => ({
    name: policy.name,
    outcome: policyApplies(policy, client, request, modern),
  }));
  const applying = outcomes.filter((item) => item.outcome === 'yes').map((item) => item.name);
  if (applying.length > 0) return { outcome: 'yes', policies: applying };
  const unsure = outcomes.filter((item) => item.outcome === 'unknown').map((item) => item.name);
  if (unsure.length > 0) {
    return {
      outcome: 'unknown',
      policies: unsure,
      why: `a condition of ${unsure.map((name) => `"${name}"`).join(', ')} depends on what the snapshot cannot see (such as the client's own roles, or a condition type this audit does not know)`,
    };
  }
  return { outcome: 'no', policies: [] };
}

/**
 * Whether the client policies switch this request to lightweight access tokens. The rules differ before and
 * from 26.7; when the version is unknown and the two disagree, the outcome is unknown and says so.
 */
export function lightweightByPolicy(
  policies: ClientPoliciesSnapshot,
  client: ClientRep,
  request: PolicyRequest,
  version: string | undefined,
): LightweightDecision {
  if (policiesWithLightweightProfile(policies).length === 0) return { outcome: 'no', policies: [] };
  const modern = ruleApplies('conditionsVoteByContext', version);
  if (modern !== undefined) return decideFor(policies, client, request, modern);
  const before = decideFor(policies, client, request, false);
  const after = decideFor(policies, client, request, true);
  if (before.outcome === after.outcome)
    return { ...after, policies: [...new Set([...before.policies, ...after.policies])] };
  return {
    outcome: 'unknown',
    policies: [...new Set([...before.policies, ...after.policies])],
    why: `the server version is unknown: before 26.7 the policies ${before.outcome === 'yes' ? 'switch' : 'do not switch'} this request to lightweight tokens, from 26.7 they ${after.outcome === 'yes' ? 'do' : after.outcome === 'no' ? 'do not' : 'may'}`,
  };
}

/** The enabled policies with the lightweight executor that may apply to this client for some request. */
export function lightweightPolicies(
  policies: ClientPoliciesSnapshot,
  client: ClientRep,
  version?: string,
  events: TokenEvent[] = ['code-exchange', 'password', 'service-account', 'device', 'ciba'],
): string[] {
  const optional = client.optionalClientScopes ?? [];
  const names = new Set<string>();
  for (const event of events) {
    for (const requestedScopes of [[], optional]) {
      const decision = lightweightByPolicy(policies, client, { event, requestedScopes }, version);
      if (decision.outcome !== 'no') for (const name of decision.policies) names.add(name);
    }
  }
  return [...names];
}
