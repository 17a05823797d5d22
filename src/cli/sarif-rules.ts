import type { ProblemCode } from '../audit/index.ts';
import type { FindingVerdict, Level, RuleId } from './findings.ts';

export interface RuleText {
  name: string;
  short: string;
  full: string;
  level: Level;
}

const FIX =
  'Add an Audience mapper (oidc-audience-mapper) with "Included Client Audience" set to the clientId and "Add to access token" on, on the client itself or in a client scope attached as a default scope.';

const VERDICT_RULES: Record<FindingVerdict, RuleText> = {
  missing: {
    name: 'OwnAudienceMissing',
    short: "The client's access tokens lack its own clientId in aud.",
    full: `Resource servers and proxies that check aud (oauth2-proxy, Spring, Quarkus, ASP.NET JwtBearer, Istio) reject these tokens. ${FIX}`,
    level: 'error',
  },
  conditional: {
    name: 'OwnAudienceConditional',
    short: 'The own clientId reaches aud only for some logins.',
    full: `The mapper that adds it is in an optional or role-restricted client scope, or a client policy may switch to lightweight tokens. ${FIX}`,
    level: 'warning',
  },
  unpredictable: {
    name: 'OwnAudienceUnpredictable',
    short: 'A mapper can rewrite aud in a way its settings do not show.',
    full: 'A mapper with claim name "aud", a script mapper or a custom mapper type runs for this client; check its tokens.',
    level: 'warning',
  },
  'cannot-judge': {
    name: 'OwnAudienceCannotBeJudged',
    short: 'The account that ran the audit could not see what the verdict depends on.',
    full: 'Keycloak answered with an empty list where the realm must have entries (clients, or client scopes the client names): the account may not view them. Audit with an account that holds view-clients in the realm.',
    level: 'error',
  },
};

const PROBLEM_RULES: Record<ProblemCode, Omit<RuleText, 'level'>> = {
  'token-flag-off': {
    name: 'AudienceMapperTokenFlagOff',
    short: 'An Audience mapper has "Add to access token" off.',
    full: 'The mapper adds nothing to access tokens; a mapper created through the Admin API without "access.token.claim": "true" has it off.',
  },
  'lightweight-flag-missing': {
    name: 'AudienceMapperNotLightweight',
    short: 'An Audience mapper is off for lightweight access tokens.',
    full: 'The client uses lightweight access tokens, where only "Add to lightweight access token" (lightweight.claim) counts.',
  },
  'uuid-value': {
    name: 'AudienceMapperHoldsUuid',
    short: "An Audience mapper holds a client's internal id instead of its clientId.",
    full: 'Keycloak puts the value into aud literally, so the intended clientId never reaches aud. Some admin console versions stored ids.',
  },
  'empty-value': {
    name: 'AudienceMapperEmpty',
    short: 'An Audience mapper names no audience.',
    full: 'Set "Included Client Audience" to the clientId that belongs in aud.',
  },
  'unknown-client': {
    name: 'AudienceMapperUnknownClient',
    short: 'An Audience mapper names no client of the realm.',
    full: 'The value is put into aud literally; a typo never matches the resource server that checks it.',
  },
  'optional-not-default': {
    name: 'AudienceScopeOptional',
    short: 'The fix is in an optional client scope.',
    full: 'It applies only when a login requests that scope. Attach the scope as a default scope.',
  },
  'role-restricted': {
    name: 'AudienceScopeRoleRestricted',
    short: 'The fix is in a client scope with role scope mappings.',
    full: 'Its mappers run only for users holding one of those roles.',
  },
  'lightweight-policy': {
    name: 'LightweightClientPolicy',
    short: 'A client policy may switch the client to lightweight access tokens.',
    full: 'Then the Audience mapper needs "Add to lightweight access token" on.',
  },
  'aud-override': {
    name: 'AudOverride',
    short: 'A mapper writes aud in a way its settings do not show.',
    full: 'A mapper with claim name "aud" replaces the whole list, in no defined order relative to Audience mappers.',
  },
  'mapper-type-not-deployed': {
    name: 'MapperTypeNotDeployed',
    short: "A mapper's type is not deployed on this Keycloak.",
    full: 'Keycloak skips the mapper silently.',
  },
  'disabled-client': {
    name: 'AudienceNamesDisabledClient',
    short: 'An Audience mapper names a disabled client.',
    full: 'From Keycloak 26.7.5 (26.6.8) such a mapper adds nothing to aud; before, it adds the clientId.',
  },
  'requirements-unreadable': {
    name: 'RequirementsAttributeUnreadable',
    short: "The client's requirements attribute is no JSON array of audiences.",
    full: 'Attribute "audience-doctor.requires" must hold a JSON array such as ["api"] ([] for nothing required). Until it does, the client is judged by its own clientId, and nothing is written over it.',
  },
  'callers-unreadable': {
    name: 'CallersAttributeUnreadable',
    short: "The client's callers attribute is no JSON array of clientIds.",
    full: 'Attribute "audience-doctor.callers" must hold a JSON array such as ["web-app"]: the clients whose tokens must carry this one. Until it does, it declares no caller.',
  },
  'unknown-caller': {
    name: 'UnknownCaller',
    short: 'The callers attribute names a client the audit did not find.',
    full: 'A clientId in "audience-doctor.callers" that names no client read (deleted, renamed, a typo, or hidden from the account) requires nothing of anyone.',
  },
  'scope-not-visible': {
    name: 'ClientScopeNotVisible',
    short: 'A client scope linked to the client could not be read.',
    full: 'The account that ran the audit may not view client scopes, so what the scope adds to tokens is unknown.',
  },
};

const REQUIREMENT_RULES: [RuleId, RuleText][] = [
  [
    'requirement/unmet',
    {
      name: 'RequiredAudienceMissing',
      short: "The client's access tokens lack an audience they are required to carry.",
      full: 'The requirement comes from the client attribute "audience-doctor.requires" or the --requirements file. Add an Audience mapper for that audience on the client or in a default client scope, or enable the client it names.',
      level: 'error',
    },
  ],
  [
    'requirement/conditional',
    {
      name: 'RequiredAudienceConditional',
      short: 'A required audience reaches aud only for some logins.',
      full: 'The mapper that adds it is in an optional or role-restricted client scope, or a client policy may switch to lightweight tokens.',
      level: 'warning',
    },
  ],
  [
    'audience/not-required',
    {
      name: 'AudienceNotRequired',
      short: 'The tokens carry an audience that no requirement names.',
      full: "Every audience a token carries is a service that accepts it. If that service should not accept this client's tokens, remove the mapper or scope that adds it; if it should, add it to the requirements.",
      level: 'note',
    },
  ],
];

const INTROSPECTION_RULE: RuleText = {
  name: 'IntrospectionWithoutAudienceCheck',
  short: "The client's token introspection skips the audience check.",
  full: 'From Keycloak 26.4.12, 26.6.2 and 26.7.0 introspection answers active:false unless the introspecting client is in the token\'s aud; "allow.token.introspection.without.audience.check" (deprecated) turns that off for this client, so it accepts any token of the realm. Put its clientId into its callers\' tokens instead, then switch it off.',
  level: 'warning',
};

const VERIFICATION_RULE: RuleText = {
  name: 'TokenDisagreesWithVerdict',
  short: 'A token Keycloak generated disagrees with the verdict.',
  full: "The example access token for the --verify-user user shows the client's own clientId where the verdict says it is missing, or the other way round.",
  level: 'warning',
};

const REALM_CANNOT_JUDGE_RULE: RuleText = {
  name: 'RealmCannotBeJudged',
  short: 'Keycloak listed no clients in the realm: nothing in it was judged.',
  full: 'Every realm has at least the realm-management client, so an empty list means the account may not view the clients (a query-clients role alone, or fine-grained permissions on no client). Audit with an account that holds view-clients in the realm.',
  level: 'error',
};

/** Every rule, in a fixed order, so that rule indexes are stable between runs. */
export const SARIF_RULES: [RuleId, RuleText][] = [
  ...Object.entries(VERDICT_RULES).map(
    ([verdict, text]) => [`verdict/${verdict}` as RuleId, text] as [RuleId, RuleText],
  ),
  ...Object.entries(PROBLEM_RULES).map(
    ([code, text]) => [`problem/${code}` as RuleId, { ...text, level: 'warning' }] as [RuleId, RuleText],
  ),
  ['verification/disagrees', VERIFICATION_RULE],
  ['realm/cannot-judge', REALM_CANNOT_JUDGE_RULE],
  // Added after the others: the indexes of the rules above stay as they were.
  ...REQUIREMENT_RULES,
  ['introspection/without-audience-check', INTROSPECTION_RULE],
  [
    'exchange/public-client',
    {
      name: 'TokenExchangePublicClient',
      short: 'A public client has standard token exchange on.',
      full: 'Keycloak refuses token exchange to public clients (StandardTokenExchangeProvider.validateAudience): the switch does nothing but suggest it works. Make the client confidential, or switch standard.token.exchange.enabled off.',
      level: 'warning',
    },
  ],
];
