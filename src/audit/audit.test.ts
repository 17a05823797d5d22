import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import type { ClientAudit, ProblemCode } from './findings.ts';
import type {
  ClientPoliciesSnapshot,
  ClientRep,
  ClientScopeRep,
  ProtocolMapperRep,
  RealmSnapshot,
} from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from './test-fixtures.ts';

const DEPLOYED = [
  'oidc-audience-mapper',
  'oidc-audience-resolve-mapper',
  'oidc-hardcoded-claim-mapper',
  'oidc-usermodel-attribute-mapper',
  'oidc-usermodel-realm-role-mapper',
  'acme-custom-mapper',
];

const audienceMapper = audienceMapperFixture;

/** The realm's usual default scope "roles" and a confidential client, unless the settings say otherwise. */
const client = (clientId: string, settings: Partial<ClientRep> = {}): ClientRep =>
  clientRepFixture(clientId, { publicClient: false, defaultClientScopes: ['roles'], ...settings });

const rolesScope: ClientScopeRep = {
  id: 'scope-roles',
  name: 'roles',
  protocol: 'openid-connect',
  protocolMappers: [
    {
      name: 'audience resolve',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-resolve-mapper',
      config: { 'introspection.token.claim': 'true' },
    },
  ],
};

function audit(
  clients: ClientRep[],
  options: {
    scopes?: ClientScopeRep[];
    restricted?: string[];
    policies?: ClientPoliciesSnapshot;
    mapperTypes?: string[] | null;
    realm?: string;
    version?: string;
    restrictingRoles?: Record<string, string[]>;
    defaultRoles?: string[];
  } = {},
) {
  const snapshot: RealmSnapshot = {
    realm: options.realm ?? 'test',
    keycloakVersion: options.version,
    clients,
    clientScopes: [rolesScope, ...(options.scopes ?? [])],
    mapperTypes: options.mapperTypes === null ? undefined : (options.mapperTypes ?? DEPLOYED),
    scopeRoleRestrictions: Object.fromEntries((options.restricted ?? []).map((id) => [id, true])),
    clientPolicies: options.policies ?? { policies: [], profiles: [] },
    scopeRestrictingRoles: options.restrictingRoles,
    defaultRoles: options.defaultRoles,
  };
  return auditRealm(snapshot);
}

function auditOne(
  subject: ClientRep,
  options: Parameters<typeof audit>[1] = {},
  others: ClientRep[] = [],
): ClientAudit {
  const result = audit([subject, ...others], options).clients[0];
  if (!result) throw new Error('no audit');
  return result;
}

const codes = (result: ClientAudit): ProblemCode[] => result.problems.map((problem) => problem.code);

const scope = (name: string, mappers: ProtocolMapperRep[]): ClientScopeRep => ({
  id: `scope-${name}`,
  name,
  protocol: 'openid-connect',
  protocolMappers: mappers,
});

describe('verdict: ok', () => {
  it('a dedicated Audience mapper on the client', () => {
    const result = auditOne(client('app', { protocolMappers: [audienceMapper('app')] }));
    expect(result.verdict).toBe('ok');
    expect(result.evidence).toEqual([
      expect.objectContaining({
        value: 'app',
        container: expect.objectContaining({ type: 'client', name: 'app-dedicated', applies: 'always' }),
      }),
    ]);
    expect(result.audiences).toEqual(['app']);
    expect(result.problems).toEqual([]);
  });

  it('a default client scope without role scope mappings', () => {
    const fix = scope('app-audience', [audienceMapper('app')]);
    const result = auditOne(client('app', { defaultClientScopes: ['roles', 'app-audience'] }), { scopes: [fix] });
    expect(result.verdict).toBe('ok');
    expect(result.evidence[0]?.container).toMatchObject({ type: 'scope', name: 'app-audience', attachment: 'default' });
  });

  it('a custom audience equal to the clientId when no client audience key is present', () => {
    const mapper = audienceMapper('x');
    mapper.config = { 'included.custom.audience': 'app', 'access.token.claim': 'true' };
    expect(auditOne(client('app', { protocolMappers: [mapper] })).verdict).toBe('ok');
  });

  it('a lightweight client whose mapper has lightweight.claim on', () => {
    const result = auditOne(
      client('app', {
        attributes: { 'client.use.lightweight.access.token.enabled': 'true' },
        protocolMappers: [audienceMapper('app', { 'access.token.claim': 'false', 'lightweight.claim': 'true' })],
      }),
    );
    expect(result.verdict).toBe('ok');
    expect(result.lightweight).toBe(true);
  });

  it('one working mapper beside one switched off, with the broken one reported', () => {
    const result = auditOne(
      client('app', {
        protocolMappers: [audienceMapper('app', { 'access.token.claim': 'false' }, 'off'), audienceMapper('app')],
      }),
    );
    expect(result.verdict).toBe('ok');
    expect(codes(result)).toEqual(['token-flag-off']);
  });
});

describe('verdict: missing', () => {
  it('no mapper at all; role audiences still come from audience resolve', () => {
    const result = auditOne(client('app'));
    expect(result.verdict).toBe('missing');
    expect(result.reason).toContain('no Audience mapper adds app');
    expect(result.roleAudiences).toBe(true);
  });

  it.each([
    ['off', { 'access.token.claim': 'false' }, 'set to "false"'],
    ['absent', { 'access.token.claim': undefined as unknown as string }, 'has no "access.token.claim"'],
    ['not exactly "true"', { 'access.token.claim': 'TRUE' }, 'set to "TRUE"'],
  ])('the access token flag %s', (_, flags, text) => {
    const mapper = audienceMapper('app', flags);
    if (mapper.config && mapper.config['access.token.claim'] === undefined) delete mapper.config['access.token.claim'];
    const result = auditOne(client('app', { protocolMappers: [mapper] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['token-flag-off']);
    expect(result.problems[0]?.message).toContain(text);
    expect(result.reason).toContain('does not work');
  });

  it('a UUID instead of the clientId', () => {
    const result = auditOne(client('app', { protocolMappers: [audienceMapper('uuid-app')] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['uuid-value']);
    expect(result.audiences).toEqual(['uuid-app']);
  });

  it('a value that names no client', () => {
    const result = auditOne(client('app', { protocolMappers: [audienceMapper('ap')] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['unknown-client']);
  });

  it('an empty client audience that hides the custom one', () => {
    const mapper = audienceMapper('');
    mapper.config = { ...mapper.config, 'included.custom.audience': 'app' };
    const result = auditOne(client('app', { protocolMappers: [mapper] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['empty-value']);
    expect(result.audiences).toEqual(['']);
  });

  it('a mapper with no audience key at all', () => {
    const mapper = audienceMapper('app');
    mapper.config = { 'access.token.claim': 'true' };
    const result = auditOne(client('app', { protocolMappers: [mapper] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['empty-value']);
  });

  it('a mapper without any config', () => {
    const mapper: ProtocolMapperRep = {
      name: 'bare',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
    };
    expect(auditOne(client('app', { protocolMappers: [mapper] })).verdict).toBe('missing');
  });

  it('a lightweight client whose mapper is on only for full access tokens', () => {
    const result = auditOne(
      client('app', {
        attributes: { 'client.use.lightweight.access.token.enabled': 'true' },
        protocolMappers: [audienceMapper('app')],
      }),
    );
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['lightweight-flag-missing']);
    expect(result.roleAudiences).toBe(false);
  });

  it("another client's audience only, which then shows in the reverse index", () => {
    const realm = audit([client('web', { protocolMappers: [audienceMapper('api')] }), client('api')]);
    expect(realm.clients[0]?.verdict).toBe('missing');
    expect(realm.clients[0]?.audiences).toEqual(['api']);
    expect(realm.audienceIndex.api).toEqual([{ clientId: 'web', applies: 'always' }]);
  });

  it('a hardcoded aud claim that is switched off is harmless', () => {
    const mapper: ProtocolMapperRep = {
      name: 'hardcoded',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-hardcoded-claim-mapper',
      config: { 'claim.name': 'aud', 'claim.value': 'app', 'access.token.claim': 'false' },
    };
    expect(auditOne(client('app', { protocolMappers: [mapper] })).verdict).toBe('missing');
  });

  it('a mapper whose type is not deployed is skipped, as Keycloak does', () => {
    const mapper: ProtocolMapperRep = {
      name: 'script',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-script-based-protocol-mapper',
      config: { 'claim.name': 'aud', 'access.token.claim': 'true' },
    };
    const result = auditOne(client('app', { protocolMappers: [mapper] }));
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['mapper-type-not-deployed']);
  });

  // Keycloak unlinks a deleted scope from every client, so a name we cannot find is a scope we may not read.
  it('a linked scope the account cannot read is cannot-judge, never missing', () => {
    const result = auditOne(client('app', { defaultClientScopes: ['roles', 'hidden'] }));
    expect(result.verdict).toBe('cannot-judge');
    expect(codes(result)).toEqual(['scope-not-visible']);
    expect(result.reason).toContain('Next step');
  });

  it('mappers of another protocol are ignored', () => {
    const mapper = { ...audienceMapper('app'), protocol: 'saml' };
    expect(auditOne(client('app', { protocolMappers: [mapper] })).verdict).toBe('missing');
  });
});

describe('verdict: conditional', () => {
  it('the fix sits in an optional scope', () => {
    const fix = scope('app-audience', [audienceMapper('app')]);
    const result = auditOne(client('app', { optionalClientScopes: ['app-audience'] }), { scopes: [fix] });
    expect(result.verdict).toBe('conditional');
    expect(codes(result)).toEqual(['optional-not-default']);
    expect(result.audiences).toEqual([]);
    expect(result.conditionalAudiences).toEqual([
      { value: 'app', container: expect.objectContaining({ name: 'app-audience', applies: 'optional' }) },
    ]);
  });

  it('the fix sits in a default scope with role scope mappings', () => {
    const fix = scope('app-audience', [audienceMapper('app')]);
    const result = auditOne(client('app', { defaultClientScopes: ['roles', 'app-audience'] }), {
      scopes: [fix],
      restricted: [fix.id],
    });
    expect(result.verdict).toBe('conditional');
    expect(codes(result)).toEqual(['role-restricted']);
    expect(result.reason).toContain('holds a role');
  });

  it('a client policy that switches every request to lightweight tokens', () => {
    const policies: ClientPoliciesSnapshot = {
      profiles: [{ name: 'light', executors: [{ executor: 'use-lightweight-access-token' }] }],
      policies: [
        {
          name: 'confidential-light',
          enabled: true,
          conditions: [{ condition: 'client-access-type', configuration: { type: ['confidential'] } }],
          profiles: ['light'],
        },
      ],
    };
    const subject = client('app', { protocolMappers: [audienceMapper('app')] });
    const result = auditOne(subject, { policies });
    expect(result.verdict).toBe('missing');
    expect(codes(result)).toEqual(['lightweight-policy']);
    expect(result.problems[0]?.message).toContain('"confidential-light"');
    expect(result.exampleBlindSpots.join(' ')).toContain('"confidential-light"');
    // With the password grant too: that request is switched as well from 26.7, and abstains before.
    const withPassword = client('app', { protocolMappers: [audienceMapper('app')], directAccessGrantsEnabled: true });
    expect(auditOne(withPassword, { policies, version: '26.7.5' }).verdict).toBe('missing');
    expect(auditOne(withPassword, { policies, version: '26.4.7' }).verdict).toBe('conditional');
    const unknownVersion = auditOne(withPassword, { policies });
    expect(unknownVersion.verdict).toBe('conditional');
    expect(unknownVersion.problems[0]?.message).toContain('version is unknown');

    // Ready for lightweight tokens: stays ok.
    const ready = client('app', { protocolMappers: [audienceMapper('app', { 'lightweight.claim': 'true' })] });
    expect(auditOne(ready, { policies }).verdict).toBe('ok');
    // A condition that cannot hold for this client, a disabled policy, a policy without conditions: ok.
    const publicOnly = structuredClone(policies);
    (publicOnly.policies[0]?.conditions ?? [])[0] = {
      condition: 'client-access-type',
      configuration: { type: ['public'] },
    };
    expect(auditOne(subject, { policies: publicOnly }).verdict).toBe('ok');
    const negated = structuredClone(policies);
    (negated.policies[0]?.conditions ?? [])[0] = {
      condition: 'client-access-type',
      configuration: { type: ['confidential'], 'is-negative-logic': true },
    };
    expect(auditOne(subject, { policies: negated }).verdict).toBe('ok');
    const disabled = structuredClone(policies);
    if (disabled.policies[0]) disabled.policies[0].enabled = false;
    expect(auditOne(subject, { policies: disabled }).verdict).toBe('ok');
    const unconditioned = structuredClone(policies);
    if (unconditioned.policies[0]) unconditioned.policies[0].conditions = [];
    expect(auditOne(subject, { policies: unconditioned }).verdict).toBe('ok');
  });

  it('policy conditions on client scopes, grant types and what the snapshot cannot see', () => {
    const policies = (condition: {
      condition: string;
      configuration?: Record<string, unknown>;
    }): ClientPoliciesSnapshot => ({
      profiles: [{ name: 'light', executors: [{ executor: 'use-lightweight-access-token' }] }],
      policies: [{ name: 'p', conditions: [condition], profiles: ['light'] }],
    });

    const verdictWith = (condition: { condition: string; configuration?: Record<string, unknown> }, settings = {}) =>
      auditOne(client('app', { protocolMappers: [audienceMapper('app')], ...settings }), {
        policies: policies(condition),
        version: '26.7.5',
        scopes: [scope('extra', [])],
      }).verdict;
    expect(verdictWith({ condition: 'client-scopes', configuration: { type: 'Default', scopes: ['roles'] } })).toBe(
      'missing',
    );
    // "roles" is a default scope, not an optional one: never requested as optional.
    expect(verdictWith({ condition: 'client-scopes', configuration: { type: 'Optional', scopes: ['roles'] } })).toBe(
      'ok',
    );
    // The type is compared case-sensitively: "default" matches nothing.
    expect(verdictWith({ condition: 'client-scopes', configuration: { type: 'default', scopes: ['roles'] } })).toBe(
      'ok',
    );
    const optionalSettings = { optionalClientScopes: ['extra'] };
    expect(
      verdictWith(
        { condition: 'client-scopes', configuration: { type: 'Optional', scopes: ['extra'] } },
        optionalSettings,
      ),
    ).toBe('conditional');
    expect(
      verdictWith(
        {
          condition: 'client-scopes',
          configuration: { type: 'Optional', scopes: ['extra'], 'is-negative-logic': true },
        },
        optionalSettings,
      ),
    ).toBe('conditional');
    // The client's own roles are not in the snapshot: a policy on them cannot be judged.
    expect(verdictWith({ condition: 'client-roles', configuration: { roles: ['x'] } })).toBe('conditional');
    expect(verdictWith({ condition: 'any-client' })).toBe('missing');
    // GrantTypeCondition abstains on the code exchange: a standard-flow client is never switched by it.
    expect(verdictWith({ condition: 'grant-type', configuration: { grant_types: ['authorization_code'] } })).toBe('ok');
    expect(
      verdictWith(
        { condition: 'grant-type', configuration: { grant_types: ['password'] } },
        { directAccessGrantsEnabled: true },
      ),
    ).toBe('conditional');
    // acr-condition votes only on the authorization request: it abstains on every token request.
    expect(verdictWith({ condition: 'acr-condition', configuration: { 'acr-property': ['gold'] } })).toBe('ok');
    // An implicit-flow token comes from the authorization endpoint, where the executor never runs.
    expect(verdictWith({ condition: 'any-client' }, { standardFlowEnabled: false, implicitFlowEnabled: true })).toBe(
      'ok',
    );
  });

  it('STRICT mode: an abstaining condition fails the policy (26.7+)', () => {
    const strict = (mode: string | undefined): ClientPoliciesSnapshot => ({
      profiles: [{ name: 'light', executors: [{ executor: 'use-lightweight-access-token' }] }],
      policies: [
        {
          name: 'p',
          mode,
          conditions: [
            { condition: 'any-client' },
            { condition: 'acr-condition', configuration: { 'acr-property': ['gold'] } },
          ],
          profiles: ['light'],
        },
      ],
    });
    const subject = client('app', { protocolMappers: [audienceMapper('app')] });
    expect(auditOne(subject, { policies: strict(undefined), version: '26.7.5' }).verdict).toBe('missing');
    expect(auditOne(subject, { policies: strict('STRICT'), version: '26.7.5' }).verdict).toBe('ok');
    // No mode before 26.7: the abstaining condition is skipped.
    expect(auditOne(subject, { policies: strict('STRICT'), version: '26.4.7' }).verdict).toBe('missing');
  });
});

describe('verdict: unpredictable', () => {
  it('a hardcoded claim named aud with the token flag on', () => {
    const mapper: ProtocolMapperRep = {
      name: 'hardcoded aud',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-hardcoded-claim-mapper',
      config: { 'claim.name': 'aud', 'claim.value': 'app', 'access.token.claim': 'true' },
    };
    const result = auditOne(client('app', { protocolMappers: [mapper, audienceMapper('app')] }));
    expect(result.verdict).toBe('unpredictable');
    expect(codes(result)).toContain('aud-override');
    expect(result.reason).toContain('hardcoded aud');
  });

  it('a deployed mapper type we do not know', () => {
    const mapper: ProtocolMapperRep = {
      name: 'custom',
      protocol: 'openid-connect',
      protocolMapper: 'acme-custom-mapper',
      config: {},
    };
    expect(auditOne(client('app', { protocolMappers: [mapper] })).verdict).toBe('unpredictable');
  });

  it('a script mapper when the deployed types are unknown', () => {
    const mapper: ProtocolMapperRep = {
      name: 'script',
      protocol: 'openid-connect',
      protocolMapper: 'script-aud.js',
      config: { 'access.token.claim': 'true' },
    };
    expect(auditOne(client('app', { protocolMappers: [mapper] }), { mapperTypes: null }).verdict).toBe('unpredictable');
  });

  it('an aud writer in an optional scope does not make the default token unpredictable', () => {
    const writer: ProtocolMapperRep = {
      name: 'attr aud',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-usermodel-attribute-mapper',
      config: { 'claim.name': 'aud', 'user.attribute': 'x', 'access.token.claim': 'true' },
    };
    const result = auditOne(client('app', { optionalClientScopes: ['extra'] }), { scopes: [scope('extra', [writer])] });
    expect(result.verdict).toBe('missing');
  });
});

describe('verdict: not-applicable', () => {
  it.each([
    ['bearer-only', { bearerOnly: true }, 'bearer-only', 'bearer-only'],
    ['with no grant', { standardFlowEnabled: false }, 'no flow or grant', 'confidential'],
    ['disabled', { enabled: false, protocolMappers: [audienceMapper('app')] }, 'disabled', 'confidential'],
    ['SAML', { protocol: 'saml' }, 'saml', 'saml'],
  ] as [string, Partial<ClientRep>, string, string][])('a %s client', (_, settings, reason, kind) => {
    const result = auditOne(client('app', settings));
    expect(result.verdict).toBe('not-applicable');
    expect(result.reason).toContain(reason);
    expect(result.kind).toBe(kind);
    expect(result.problems).toEqual([]);
  });

  it.each([
    [{ implicitFlowEnabled: true }],
    [{ directAccessGrantsEnabled: true }],
    [{ serviceAccountsEnabled: true }],
    [{ attributes: { 'oauth2.device.authorization.grant.enabled': 'true' } }],
    [{ attributes: { 'oidc.ciba.grant.enabled': 'true' } }],
    [{ attributes: { 'standard.token.exchange.enabled': 'true' } }],
  ])('any one grant makes a client applicable: %o', (settings) => {
    expect(auditOne(client('app', { standardFlowEnabled: false, ...settings })).verdict).toBe('missing');
  });
});

describe('client facts', () => {
  it('tells the kind of client', () => {
    expect(auditOne(client('spa', { publicClient: true })).kind).toBe('public');
    expect(auditOne(client('job', { standardFlowEnabled: false, serviceAccountsEnabled: true })).kind).toBe(
      'service-account',
    );
    expect(auditOne(client('web', { serviceAccountsEnabled: true })).kind).toBe('confidential');
  });

  it('marks built-in clients', () => {
    expect(auditOne(client('account-console')).builtIn).toBe(true);
    expect(auditOne(client('my-app', { attributes: { realm_client: 'true' } })).builtIn).toBe(true);
    expect(auditOne(client('demo-realm'), { realm: 'master' }).builtIn).toBe(true);
    expect(auditOne(client('billing-realm'), { realm: 'demo' }).builtIn).toBe(false);
    expect(auditOne(client('my-app')).builtIn).toBe(false);
  });

  it('notes what the snapshot could not check', () => {
    const snapshot: RealmSnapshot = {
      realm: 'r',
      keycloakVersion: undefined,
      clients: [],
      clientScopes: [],
      mapperTypes: undefined,
      scopeRoleRestrictions: {},
      clientPolicies: undefined,
    };
    const notes = auditRealm(snapshot).notes.join(' ');
    expect(notes).toContain('Client policies not checked');
    expect(notes).toContain('mapper types not checked');
  });

  it('indexes conditional holders apart from always-holders', () => {
    const fix = scope('shared', [audienceMapper('api')]);
    const realm = audit(
      [
        client('a', { defaultClientScopes: ['roles', 'shared'] }),
        client('b', { optionalClientScopes: ['shared'] }),
        client('api'),
      ],
      { scopes: [fix] },
    );
    expect(realm.audienceIndex.api).toEqual([
      { clientId: 'a', applies: 'always' },
      { clientId: 'b', applies: 'optional' },
    ]);
  });
});
