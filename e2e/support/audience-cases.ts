import type { ProblemCode, Verdict } from '../../src/audit/findings.ts';
import { ruleApplies } from '../../src/audit/version-rules.ts';
import { versionAtLeast } from '../keycloak/fixtures.ts';

/** What a tagged case of the audience-cases realm must give on one Keycloak version. */
export interface CaseExpectation {
  verdict: Verdict;
  problems?: ProblemCode[];
  /** Why an example token (the evaluate endpoint) cannot show what a real token carries for this case. */
  exampleBlind?: string;
}

export interface AudienceCase {
  /** The expectation on this version, or a reason why the case does not exist on it. */
  on(version: string): CaseExpectation | { notOnThisVersion: string };
}

const always = (expectation: CaseExpectation): AudienceCase => ({ on: () => expectation });

/** A case that exists only from the release where Keycloak has what it needs. */
const since = (minimum: string, why: string, expectation: CaseExpectation): AudienceCase => ({
  on: (version) => (versionAtLeast(version, minimum) ? expectation : { notOnThisVersion: why }),
});

/**
 * From 26.4 to 26.6, policy case-p2 (grant-type password, plus a client-scopes condition that abstains on the
 * password grant before 26.7) switches the password grant of every client in the realm to lightweight tokens.
 */
const p2OnEveryPasswordGrant = (version: string) =>
  versionAtLeast(version, '26.4.0') && !ruleApplies('conditionsVoteByContext', version);

const LIGHTWEIGHT_POLICY = 'the evaluate endpoint runs no client-policy executor, so its token is never lightweight';

/** Every case of the fixture realm, by its `expected-case` attribute. */
export const CASES: Record<string, AudienceCase> = {
  'dedicated-mapper': always({ verdict: 'ok' }),
  'default-scope': always({ verdict: 'ok' }),
  'optional-scope': always({ verdict: 'conditional', problems: ['optional-not-default'] }),
  'custom-audience': always({ verdict: 'ok' }),
  'custom-audience-url': always({ verdict: 'missing' }),
  'flag-off': always({ verdict: 'missing', problems: ['token-flag-off'] }),
  'flag-absent': always({ verdict: 'missing', problems: ['token-flag-off'] }),
  'id-token-only': always({ verdict: 'missing', problems: ['token-flag-off'] }),
  'uuid-value': always({ verdict: 'missing', problems: ['uuid-value'] }),
  'uuid-of-other-client': always({ verdict: 'missing', problems: ['uuid-value'] }),
  'typo-value': always({ verdict: 'missing', problems: ['unknown-client'] }),
  // Keycloak drops an empty config value when it stores the mapper, so the custom audience applies.
  'empty-client-beside-custom': always({ verdict: 'ok' }),
  'other-client-audience': always({ verdict: 'missing' }),
  'two-mappers-one-off': always({ verdict: 'ok', problems: ['token-flag-off'] }),
  'default-scope-flag-off': always({ verdict: 'missing', problems: ['token-flag-off'] }),
  'lightweight-with-flag': always({ verdict: 'ok' }),
  'lightweight-without-flag': always({ verdict: 'missing', problems: ['lightweight-flag-missing'] }),
  'lightweight-unfixed': always({ verdict: 'missing' }),
  'role-restricted-scope': always({ verdict: 'conditional', problems: ['role-restricted'] }),
  'hardcoded-aud': always({ verdict: 'unpredictable', problems: ['aud-override'] }),
  'hardcoded-aud-flag-off': always({ verdict: 'missing' }),
  'user-attribute-aud': always({ verdict: 'unpredictable', problems: ['aud-override'] }),
  'client-roles-on-itself': always({ verdict: 'missing' }),
  'service-account-only': always({ verdict: 'missing' }),
  'service-account-fixed': always({ verdict: 'ok' }),
  'bearer-only': always({ verdict: 'not-applicable' }),
  'no-flows': always({ verdict: 'not-applicable' }),
  disabled: always({ verdict: 'not-applicable' }),
  saml: always({ verdict: 'not-applicable' }),
  'full-scope-off': always({ verdict: 'missing' }),
  'full-scope-off-fixed': always({ verdict: 'ok' }),
  'public-spa': always({ verdict: 'missing' }),
  'implicit-only': always({ verdict: 'missing' }),
  'password-grant-only': {
    on: (version) => ({ verdict: 'missing', problems: p2OnEveryPasswordGrant(version) ? ['lightweight-policy'] : [] }),
  },
  'device-grant-only': always({ verdict: 'missing' }),
  'consent-required-fixed': always({ verdict: 'ok' }),
  'shared-scope-a': always({ verdict: 'ok' }),
  'shared-scope-b': always({ verdict: 'ok' }),
  'undeployed-mapper-type': always({ verdict: 'missing', problems: ['mapper-type-not-deployed'] }),

  'lightweight-attr-uppercase': always({ verdict: 'missing', problems: ['lightweight-flag-missing'] }),
  'lightweight-attr-mixed-fixed': always({ verdict: 'ok' }),
  'flag-uppercase': always({ verdict: 'missing', problems: ['token-flag-off'] }),
  'device-uppercase-fixed': always({ verdict: 'ok' }),
  'claim-path-aud-dot': always({ verdict: 'unpredictable', problems: ['aud-override'] }),
  'claim-path-escaped': always({ verdict: 'unpredictable', problems: ['aud-override'] }),
  'claim-path-escaped-dot': always({ verdict: 'ok' }),
  'optional-scope-overrides-aud': always({ verdict: 'conditional', problems: ['aud-override'] }),
  'role-restricted-default-role': always({ verdict: 'ok' }),
  'public-service-account-only': always({ verdict: 'not-applicable' }),
  'consent-password-only': always({ verdict: 'not-applicable' }),
  'token-exchange-only': since('26.2.0', 'standard token exchange starts in 26.2 (StandardTokenExchangeProvider)', {
    verdict: 'missing',
  }),
  'exchange-subject-issuer': {
    on: (version) => ({ verdict: 'missing', problems: p2OnEveryPasswordGrant(version) ? ['lightweight-policy'] : [] }),
  },
  'policy-lightweight-code': always({
    verdict: 'missing',
    problems: ['lightweight-policy'],
    exampleBlind: LIGHTWEIGHT_POLICY,
  }),
  'policy-lightweight-code-fixed': always({ verdict: 'ok' }),
  'policy-grant-type': since(
    '26.4.0',
    'the grant-type condition starts between 26.0 and 26.4 (GrantTypeConditionFactory)',
    {
      verdict: 'missing',
      problems: ['lightweight-policy'],
      exampleBlind: LIGHTWEIGHT_POLICY,
    },
  ),
  'policy-grant-type-strict': since('26.7.0', 'policy modes start in 26.7 (ClientPolicyMode)', {
    verdict: 'conditional',
    problems: ['lightweight-policy'],
    exampleBlind: LIGHTWEIGHT_POLICY,
  }),
  'policy-negative-optional': always({
    verdict: 'conditional',
    problems: ['lightweight-policy'],
    exampleBlind: LIGHTWEIGHT_POLICY,
  }),
  'policy-disabled': always({ verdict: 'ok' }),
  'policy-no-conditions': always({ verdict: 'ok' }),
  'policy-client-attributes': since(
    '26.0.0',
    'the client-attributes condition starts in 26.0 (ClientAttributesConditionFactory)',
    {
      verdict: 'missing',
      problems: ['lightweight-policy'],
      exampleBlind: LIGHTWEIGHT_POLICY,
    },
  ),
  'policy-access-type-password': {
    on: (version) =>
      ruleApplies('conditionsVoteByContext', version) || p2OnEveryPasswordGrant(version)
        ? { verdict: 'missing', problems: ['lightweight-policy'], exampleBlind: LIGHTWEIGHT_POLICY }
        : { verdict: 'ok' },
  },
  'policy-device': always({ verdict: 'ok' }),
  'audience-of-disabled-client': always({ verdict: 'ok', problems: ['disabled-client'] }),
  'implicit-policy': always({ verdict: 'ok' }),
};
