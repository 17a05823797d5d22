import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import type { ClientAudit } from './findings.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from './test-fixtures.ts';

/** Rules read from Keycloak's code; each is proven against real tokens by the audience-cases realm. */
function auditOf(clients: ClientRep[], options: Partial<RealmSnapshot> = {}): Record<string, ClientAudit> {
  const snapshot: RealmSnapshot = {
    realm: 'rules',
    keycloakVersion: '26.7.5',
    clients,
    clientScopes: [],
    mapperTypes: undefined,
    scopeRoleRestrictions: {},
    clientPolicies: { policies: [], profiles: [] },
    ...options,
  };
  return Object.fromEntries(auditRealm(snapshot).clients.map((audit) => [audit.clientId, audit]));
}

const own = (clientId: string, flags: Record<string, string> = {}) => audienceMapperFixture(clientId, flags);
const hardcoded = (claim: string): ProtocolMapperRep => ({
  name: `hardcoded ${claim}`,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-hardcoded-claim-mapper',
  config: { 'claim.name': claim, 'claim.value': 'x', 'access.token.claim': 'true' },
});

describe('booleans as Keycloak reads them', () => {
  it('client attributes ignore case (Boolean.parseBoolean); mapper flags count only as exactly "true"', () => {
    const audits = auditOf([
      clientRepFixture('upper', {
        attributes: { 'client.use.lightweight.access.token.enabled': 'TRUE' },
        protocolMappers: [own('upper')],
      }),
      clientRepFixture('flag', { protocolMappers: [own('flag', { 'access.token.claim': 'TRUE' })] }),
      clientRepFixture('device', {
        standardFlowEnabled: false,
        attributes: { 'oauth2.device.authorization.grant.enabled': 'True' },
        protocolMappers: [own('device')],
      }),
    ]);
    expect(audits.upper?.lightweight).toBe(true);
    expect(audits.upper?.verdict).toBe('missing');
    expect(audits.flag?.verdict).toBe('missing');
    expect(audits.flag?.problems.map((problem) => problem.code)).toEqual(['token-flag-off']);
    expect(audits.device?.verdict).toBe('ok');
  });
});

describe('grants', () => {
  it('a grant Keycloak always refuses gives no token', () => {
    const audits = auditOf([
      clientRepFixture('public-sa', { standardFlowEnabled: false, serviceAccountsEnabled: true, publicClient: true }),
      clientRepFixture('consent-password', {
        standardFlowEnabled: false,
        directAccessGrantsEnabled: true,
        consentRequired: true,
      }),
      clientRepFixture('exchange', {
        standardFlowEnabled: false,
        attributes: { 'standard.token.exchange.enabled': 'true' },
      }),
    ]);
    expect(audits['public-sa']?.verdict).toBe('not-applicable');
    expect(audits['public-sa']?.reason).toContain('public client cannot use its service account');
    expect(audits['consent-password']?.verdict).toBe('not-applicable');
    expect(audits['consent-password']?.reason).toContain('requires consent');
    // Token exchange yields tokens of the exchanging client.
    expect(audits.exchange?.verdict).toBe('missing');
  });
});

describe('mappers that write aud', () => {
  it('any claim path that resolves to aud overrides it; an escaped dot does not', () => {
    const audits = auditOf([
      clientRepFixture('dot', { protocolMappers: [own('dot'), hardcoded('aud.')] }),
      clientRepFixture('escaped', { protocolMappers: [own('escaped'), hardcoded('\\aud')] }),
      clientRepFixture('nested', { protocolMappers: [own('nested'), hardcoded('aud\\.x')] }),
    ]);
    expect(audits.dot?.verdict).toBe('unpredictable');
    expect(audits.escaped?.verdict).toBe('unpredictable');
    expect(audits.nested?.verdict).toBe('ok');
  });

  it('an optional scope that rewrites aud makes the fix conditional, not ok for every request', () => {
    const scope: ClientScopeRep = {
      id: 'scope-rewrite',
      name: 'rewrite',
      protocol: 'openid-connect',
      protocolMappers: [hardcoded('aud')],
    };
    const audits = auditOf(
      [clientRepFixture('app', { protocolMappers: [own('app')], optionalClientScopes: ['rewrite'] })],
      { clientScopes: [scope] },
    );
    expect(audits.app?.verdict).toBe('conditional');
    expect(audits.app?.problems.find((problem) => problem.code === 'aud-override')?.container?.name).toBe('rewrite');
  });
});

describe('role-restricted scopes', () => {
  const scope: ClientScopeRep = {
    id: 'scope-fix',
    name: 'fix',
    protocol: 'openid-connect',
    protocolMappers: [own('app')],
  };
  const client = clientRepFixture('app', { defaultClientScopes: ['fix'] });

  it('a scope limited to a default role applies to every user, with a note', () => {
    const audits = auditOf([client], {
      clientScopes: [scope],
      scopeRoleRestrictions: { 'scope-fix': true },
      scopeRestrictingRoles: { 'scope-fix': ['offline_access'] },
      defaultRoles: ['default-roles-rules', 'offline_access'],
    });
    expect(audits.app?.verdict).toBe('ok');
    expect(audits.app?.notes.join(' ')).toContain('default-roles-rules');
  });

  it('without the default roles, or limited to another role, it stays conditional', () => {
    const restricted = { clientScopes: [scope], scopeRoleRestrictions: { 'scope-fix': true } };
    expect(auditOf([client], restricted).app?.verdict).toBe('conditional');
    expect(
      auditOf([client], {
        ...restricted,
        scopeRestrictingRoles: { 'scope-fix': ['reader'] },
        defaultRoles: ['offline_access'],
      }).app?.verdict,
    ).toBe('conditional');
  });
});

describe('audiences of clients that do not exist or are disabled (26.7.5, 26.6.8)', () => {
  const clients = [
    clientRepFixture('app', {
      protocolMappers: [own('app'), audienceMapperFixture('typo'), audienceMapperFixture('off')],
    }),
    clientRepFixture('off', { enabled: false }),
  ];
  it.each([
    ['26.7.5', ['app']],
    ['26.6.8', ['app']],
    ['26.7.3', ['app', 'off', 'typo']],
  ])('on %s aud holds %j', (version, audiences) => {
    const app = auditOf(clients, { keycloakVersion: version }).app;
    expect(app?.audiences).toEqual(audiences);
    expect(app?.problems.map((problem) => problem.code).sort()).toEqual(['disabled-client', 'unknown-client']);
  });

  it('with the version unknown, the problem says both outcomes', () => {
    const app = auditOf(clients, { keycloakVersion: undefined }).app;
    const message = app?.problems.find((problem) => problem.code === 'unknown-client')?.message ?? '';
    expect(message).toContain('before 26.7.5');
    expect(message).toContain('version is unknown');
  });
});
