/**
 * Keycloak behaviour that changed between releases, each with the first version that has it and the Keycloak
 * class that shows it. `untested` marks thresholds the version matrix cannot run (those releases are not served).
 */
export interface VersionRule {
  /** What changes, in a sentence a realm admin understands. */
  summary: string;
  /** First release of each line that has it; later lines have it from their first release. */
  since: string[];
  /** Where Keycloak's code shows it. */
  source: string;
  untested?: string[];
}

export const VERSION_RULES = {
  inactiveAudienceDropped: {
    summary: 'An Audience mapper that names a client which does not exist or is disabled adds nothing to aud.',
    since: ['26.6.8', '26.7.5'],
    source: 'AudienceProtocolMapper.setClaim',
    untested: ['26.6.8'],
  },
  introspectionChecksAudience: {
    summary:
      'Token introspection answers active:false unless the introspecting client is in the token’s aud (CVE-2026-37979), or its switch allow.token.introspection.without.audience.check (or the server-wide option) is on.',
    since: ['26.4.12', '26.6.2', '26.7.0'],
    source:
      'AccessTokenIntrospectionProvider.verifyAudience, OIDCAdvancedConfigWrapper.isAllowTokenIntrospectionWithoutAudienceCheck',
    untested: ['26.4.12', '26.6.2'],
  },
  serverVersionHidden: {
    summary: 'The server info tells the Keycloak version only to master-realm admins with manage-realm.',
    since: ['26.5.4', '26.6.6'],
    source: 'ServerInfoAdminResource (changes-26_5_4, changes-26_6_6)',
    untested: ['26.5.4', '26.6.6'],
  },
  clientPolicyMode: {
    summary: 'A client policy has a mode; in STRICT mode a condition that abstains fails the policy.',
    since: ['26.7.0'],
    source: 'ClientPolicyMode, DefaultClientPolicyManager.isSatisfied',
  },
  conditionsVoteByContext: {
    summary:
      'Client-policy conditions vote by the kind of request context: client-access-type, client-type, client-roles, client-attributes and client-scopes vote on the password grant too, and abstain on the device token request. Before, each had its own list of events.',
    since: ['26.7.0'],
    source:
      'ClientAccessTypeCondition.applyPolicy (ClientModelContext), ClientScopesCondition.applyPolicy (ScopeParameterContext)',
  },
  clientAttributesCondition: {
    summary: 'The client-attributes client-policy condition exists.',
    since: ['26.0.0'],
    source: 'ClientAttributesConditionFactory',
  },
  clientTypeCondition: {
    summary: 'The client-type (protocol) client-policy condition exists.',
    since: ['25.0.0'],
    source: 'ClientProtocolConditionFactory',
  },
  grantTypeAndAcrConditions: {
    summary: 'The grant-type and acr-condition client-policy conditions exist.',
    since: ['26.4.0'],
    source: 'GrantTypeConditionFactory, AcrConditionFactory',
    untested: ['26.1', '26.2', '26.3'],
  },
  identityProviderCondition: {
    summary: 'The identity-provider-alias client-policy condition exists.',
    since: ['26.7.0'],
    source: 'IdentityProviderConditionFactory',
    untested: ['26.5', '26.6'],
  },
  jwtAuthorizationGrant: {
    summary:
      'Clients can get tokens through the JWT authorization grant (attribute oauth2.jwt.authorization.grant.enabled).',
    since: ['26.5.0'],
    source: 'JWTAuthorizationGrantType',
    untested: ['26.5', '26.6'],
  },
  standardTokenExchange: {
    summary:
      'Standard token exchange (attribute standard.token.exchange.enabled): a client may exchange its own tokens and those that carry it in aud, and its audience parameter only narrows aud.',
    since: ['26.2.0'],
    source: 'StandardTokenExchangeProvider (validateAudience, checkRequestedAudiences)',
    untested: ['26.2', '26.3'],
  },
} satisfies Record<string, VersionRule>;

export type VersionRuleId = keyof typeof VERSION_RULES;

/** `major.minor.patch` as numbers; undefined when the text is no such version. */
export function parseVersion(version: string | undefined): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether a release has the rule: true or false, or undefined when the version is unknown. A `since` entry
 * counts for its own major.minor line; the newest entry also for every later line.
 */
export function ruleApplies(id: VersionRuleId, version: string | undefined): boolean | undefined {
  // Asked for every client with the same version: the answer is kept.
  const key = `${id} ${version ?? ''}`;
  if (appliesByRule.has(key)) return appliesByRule.get(key);
  const applies = computeRuleApplies(id, version);
  appliesByRule.set(key, applies);
  return applies;
}

const appliesByRule = new Map<string, boolean | undefined>();

function computeRuleApplies(id: VersionRuleId, version: string | undefined): boolean | undefined {
  const parsed = parseVersion(version);
  if (!parsed) return undefined;
  const thresholds = (VERSION_RULES[id].since as string[])
    .map((since) => parseVersion(since) as [number, number, number])
    .sort(compareVersions);
  const newest = thresholds[thresholds.length - 1] as [number, number, number];
  if (compareVersions(parsed, newest) >= 0) return true;
  return thresholds.some(
    (threshold) => threshold[0] === parsed[0] && threshold[1] === parsed[1] && parsed[2] >= threshold[2],
  );
}
