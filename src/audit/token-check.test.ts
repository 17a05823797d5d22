import { describe, expect, it } from 'vitest';
import type { ClientAudit, ContainerRef } from './findings.ts';
import { base64Url, clientAuditFixture, jwtFixture } from './test-fixtures.ts';
import {
  checkPastedToken,
  comparePastedToken,
  decodePastedToken,
  type PastedTokenResult,
  type TokenCheckContext,
} from './token-check.ts';

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const base64UrlOfBytes = (bytes: Uint8Array) =>
  base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = jwtFixture;

const now = new Date('2026-06-01T12:00:00Z');
const nowSeconds = now.getTime() / 1000;
const context = (partial: Partial<TokenCheckContext> = {}): TokenCheckContext => ({
  realm: 'demo',
  optionalScopes: [],
  scopesHiddenFromScopeClaim: [],
  now,
  ...partial,
});
const container = (applies: ContainerRef['applies'], name: string): ContainerRef => ({
  type: 'scope',
  name,
  id: `id-${name}`,
  attachment: applies === 'optional' ? 'optional' : 'default',
  applies,
});
const audit = (partial: Partial<ClientAudit> = {}): ClientAudit => clientAuditFixture('app', partial);
const claims = (partial: Record<string, unknown> = {}) => ({
  iss: 'http://localhost:8080/realms/demo',
  exp: nowSeconds + 300,
  typ: 'Bearer',
  azp: 'app',
  aud: 'app',
  scope: 'openid profile email',
  ...partial,
});

function checked(
  target: ClientAudit,
  payload: Record<string, unknown>,
  partial?: Partial<TokenCheckContext>,
): PastedTokenResult {
  const result = checkPastedToken(target, jwt(payload), context(partial));
  if (!result.ok) throw new Error(`unexpected read error: ${result.message}`);
  return result;
}

describe('decodePastedToken', () => {
  it('reads the header and payload of a JWT', () => {
    const decoded = decodePastedToken(jwt({ aud: 'app' }));
    expect(decoded).toEqual({ ok: true, header: { alg: 'RS256', typ: 'JWT', kid: 'k1' }, payload: { aud: 'app' } });
  });

  it('accepts the token after "Bearer " or a whole Authorization header, with spaces and newlines around', () => {
    expect(decodePastedToken(`Bearer ${jwt({ a: 1 })}`)).toMatchObject({ ok: true, payload: { a: 1 } });
    expect(decodePastedToken(`  Authorization: Bearer ${jwt({ a: 2 })}\n`)).toMatchObject({
      ok: true,
      payload: { a: 2 },
    });
  });

  it('accepts the payload JSON alone, without a header', () => {
    expect(decodePastedToken(' {"aud":["a","b"]} ')).toEqual({
      ok: true,
      header: undefined,
      payload: { aud: ['a', 'b'] },
    });
  });

  it('reads non-ASCII claims and base64url characters - and _', () => {
    // "ü?>" encodes to base64 with + and /, so base64url must map them back.
    const payload = { name: 'Jürgen ü?>ü?>', aud: 'app' };
    expect(base64Url(JSON.stringify(payload))).toMatch(/[-_]/);
    expect(decodePastedToken(jwt(payload))).toMatchObject({ ok: true, payload });
  });

  it('accepts padded base64url and an empty signature (an unsigned token)', () => {
    const header = base64(new TextEncoder().encode('{"alg":"none"}'));
    const payload = base64(new TextEncoder().encode('{"aud":"x"}'));
    expect(payload).toMatch(/=$/);
    expect(decodePastedToken(`${header}.${payload}.`)).toMatchObject({ ok: true, payload: { aud: 'x' } });
  });

  it.each([
    ['', 'Paste an access token'],
    ['   \n ', 'Paste an access token'],
    ['Bearer ', 'Paste an access token'],
    ['hello world', 'a JWT has three parts separated by dots, this has 1'],
    ['a.b', 'this has 2'],
    ['a.b.c.d', 'this has 4'],
    ['a.b.c.d.e', 'encrypted token (JWE, five parts)'],
    ['{"aud": "app"', 'not a valid JSON object'],
    ['{} trailing', 'not a valid JSON object'],
    ['%%%.e30.sig', 'the header) is not valid base64url'],
    ['e30.%%%.sig', 'the payload) is not valid base64url'],
    ['e30.abcde.sig', 'the payload) is not valid base64url'],
    [`e30.${base64Url('not json')}.sig`, 'the payload) is not a JSON object'],
    [`e30.${base64Url('[1,2]')}.sig`, 'the payload) is not a JSON object'],
    [`e30.${base64Url('null')}.sig`, 'the payload) is not a JSON object'],
    [`${base64Url('"x"')}.e30.sig`, 'the header) is not a JSON object'],
    [`e30.${base64UrlOfBytes(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))}.sig`, 'not valid base64url'],
  ])('says why %j is not a token', (input, message) => {
    const decoded = decodePastedToken(input);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.message).toContain(message);
  });
});

describe('comparePastedToken', () => {
  it('agrees when an ok client finds itself in aud, azp and realm matching', () => {
    const result = checked(audit({ verdict: 'ok', audiences: ['app'] }), claims({ aud: ['app', 'account'] }));
    expect(result).toMatchObject({
      azpMatches: true,
      ownInToken: true,
      ownPredicted: true,
      ownAgrees: true,
      expectedAndPresent: ['app'],
      expectedButAbsent: [],
      possiblyFromRoles: ['account'],
      unexpected: [],
      issuerRealm: 'demo',
      issuerMatches: true,
      expired: false,
      notAnAccessToken: false,
    });
    expect(result.expiresAt?.toISOString()).toBe('2026-06-01T12:05:00.000Z');
  });

  it('reads aud as a string or an array, and a missing aud as empty', () => {
    expect(checked(audit(), claims({ aud: 'account' })).aud).toEqual(['account']);
    expect(checked(audit(), claims({ aud: ['a', 'b'] })).aud).toEqual(['a', 'b']);
    expect(checked(audit(), claims({ aud: undefined })).aud).toEqual([]);
    expect(checked(audit(), claims({ aud: 42 })).aud).toEqual([]);
  });

  it('agrees when a missing client is absent from aud, and disagrees when it shows up', () => {
    const missing = audit({ verdict: 'missing' });
    expect(checked(missing, claims({ aud: 'account' }))).toMatchObject({
      ownInToken: false,
      ownPredicted: false,
      ownAgrees: true,
    });
    const surprising = checked(missing, claims({ aud: 'app' }));
    expect(surprising).toMatchObject({ ownInToken: true, ownAgrees: false, unexpected: ['app'] });
    // Role audiences never add the client itself, so it is never excused as "from roles".
    expect(surprising.possiblyFromRoles).toEqual([]);
  });

  it('disagrees when an ok client is not in aud, and lists what was expected but absent', () => {
    const result = checked(audit({ verdict: 'ok', audiences: ['app', 'api'] }), claims({ aud: 'api' }));
    expect(result).toMatchObject({ ownInToken: false, ownPredicted: true, ownAgrees: false });
    expect(result.expectedButAbsent).toEqual(['app']);
    expect(result.expectedAndPresent).toEqual(['api']);
  });

  it('calls audiences unexpected, not "from roles", when the audience resolve mapper does not run', () => {
    const result = checked(
      audit({ verdict: 'ok', audiences: ['app'], roleAudiences: false }),
      claims({ aud: ['app', 'other'] }),
    );
    expect(result.unexpected).toEqual(['other']);
    expect(result.possiblyFromRoles).toEqual([]);
  });

  it('counts an optional scope audience as expected only when the token shows the scope requested', () => {
    const conditional = audit({
      verdict: 'conditional',
      conditionalAudiences: [{ value: 'app', container: container('optional', 'app-audience') }],
    });
    const requested = checked(conditional, claims({ aud: 'app', scope: 'openid app-audience' }), {
      optionalScopes: ['app-audience', 'offline_access'],
    });
    expect(requested).toMatchObject({
      ownPredicted: true,
      ownAgrees: true,
      requestedOptionalScopes: ['app-audience'],
      explainedByRequestedScopes: [{ value: 'app', scope: 'app-audience' }],
      conditionalPresent: [{ value: 'app', scope: 'app-audience' }],
      unexpected: [],
    });
    const requestedButAbsent = checked(conditional, claims({ aud: 'account', scope: 'openid app-audience' }), {
      optionalScopes: ['app-audience'],
    });
    expect(requestedButAbsent).toMatchObject({ ownAgrees: false, expectedButAbsent: ['app'] });

    const notRequested = checked(conditional, claims({ aud: 'account' }), { optionalScopes: ['app-audience'] });
    expect(notRequested).toMatchObject({
      ownPredicted: false,
      ownAgrees: true,
      requestedOptionalScopes: [],
      explainedByRequestedScopes: [],
    });
  });

  it('cannot tell for an optional scope that Keycloak leaves out of the scope claim', () => {
    const conditional = audit({
      verdict: 'conditional',
      conditionalAudiences: [{ value: 'app', container: container('optional', 'app-audience') }],
    });
    const result = checked(conditional, claims({ aud: 'app', scope: 'openid' }), {
      optionalScopes: ['app-audience'],
      scopesHiddenFromScopeClaim: ['app-audience'],
    });
    expect(result).toMatchObject({
      ownPredicted: undefined,
      ownAgrees: undefined,
      conditionalPresent: [{ value: 'app', scope: 'app-audience' }],
      unexpected: [],
    });
  });

  it('makes no prediction where the user roles decide, and never calls such an audience wrong', () => {
    const restricted = audit({
      verdict: 'conditional',
      roleAudiences: false,
      conditionalAudiences: [{ value: 'app', container: container('role-restricted', 'app-audience') }],
    });
    for (const aud of ['app', 'account']) {
      const result = checked(restricted, claims({ aud }));
      expect(result.ownAgrees).toBeUndefined();
      expect(result.expectedButAbsent).toEqual([]);
    }
    expect(checked(restricted, claims({ aud: 'app' })).unexpected).toEqual([]);
    expect(checked(restricted, claims({ aud: 'app' })).conditionalPresent).toEqual([
      { value: 'app', scope: 'app-audience' },
    ]);
  });

  it.each(['unpredictable', 'not-applicable', 'cannot-judge'] as const)(
    'makes no prediction for %s clients',
    (verdict) => {
      expect(checked(audit({ verdict }), claims({ aud: 'app' })).ownAgrees).toBeUndefined();
    },
  );

  it('flags a token issued to another client', () => {
    expect(checked(audit(), claims({ azp: 'other-app' }))).toMatchObject({ azp: 'other-app', azpMatches: false });
    expect(checked(audit(), claims({ azp: undefined }))).toMatchObject({ azp: undefined, azpMatches: false });
  });

  it('lists the scope values', () => {
    expect(checked(audit(), claims({ scope: 'openid  email profile' })).scopes).toEqual(['openid', 'email', 'profile']);
    expect(checked(audit(), claims({ scope: undefined })).scopes).toEqual([]);
  });

  it('tells an expired token, and one without exp', () => {
    expect(checked(audit(), claims({ exp: nowSeconds - 1 }))).toMatchObject({ expired: true });
    expect(checked(audit(), claims({ exp: nowSeconds }))).toMatchObject({ expired: true });
    expect(checked(audit(), claims({ exp: undefined }))).toMatchObject({ expired: undefined, expiresAt: undefined });
    expect(checked(audit(), claims({ exp: 'soon' }))).toMatchObject({ expired: undefined });
  });

  it('warns about a token from another realm, also behind /auth and with an encoded name', () => {
    expect(checked(audit(), claims({ iss: 'https://sso.example.com/realms/other' }))).toMatchObject({
      issuerRealm: 'other',
      issuerMatches: false,
    });
    expect(checked(audit(), claims({ iss: 'https://sso.example.com/auth/realms/demo/' }))).toMatchObject({
      issuerMatches: true,
    });
    expect(
      checked(audit(), claims({ iss: 'https://sso.example.com/realms/my%20realm' }), { realm: 'my realm' }),
    ).toMatchObject({ issuerRealm: 'my realm', issuerMatches: true });
    expect(checked(audit(), claims({ iss: 'https://login.example.com/' }))).toMatchObject({
      issuerRealm: undefined,
      issuerMatches: undefined,
    });
    expect(checked(audit(), claims({ iss: undefined }))).toMatchObject({ issuer: undefined, issuerMatches: undefined });
  });

  it('tells an ID or refresh token from an access token', () => {
    expect(checked(audit(), claims({ typ: 'ID' })).notAnAccessToken).toBe(true);
    expect(checked(audit(), claims({ typ: 'Refresh' })).notAnAccessToken).toBe(true);
    expect(checked(audit(), claims({ typ: undefined })).notAnAccessToken).toBe(false);
  });

  it('passes on what example tokens cannot see, since a real token may differ for those reasons', () => {
    const blind = ['Client policy "lightweight" may switch this client to lightweight access tokens.'];
    expect(checked(audit({ exampleBlindSpots: blind }), claims()).blindSpots).toEqual(blind);
  });

  it('compares a pasted payload JSON like a whole JWT', () => {
    const target = audit({ verdict: 'ok', audiences: ['app'] });
    const fromJson = checkPastedToken(target, JSON.stringify(claims()), context());
    expect(fromJson).toEqual(comparePastedToken(target, claims(), context()));
    expect(fromJson).toMatchObject({ ok: true, ownAgrees: true });
  });

  it('returns the read error for bad input instead of a comparison', () => {
    expect(checkPastedToken(audit(), 'not a token', context())).toMatchObject({ ok: false });
  });
});
