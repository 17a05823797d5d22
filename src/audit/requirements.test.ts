import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import type { ClientAudit } from './findings.ts';
import { createPartialAuditor } from './partial-audit.ts';
import { parseRequirementsFile, parseRequiresAttribute, REQUIRES_ATTRIBUTE, requirementsOf } from './requirements.ts';
import type { ClientRep, ClientScopeRep } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';

const requires = (audiences: unknown) => ({ [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) });

const snapshotOf = (clients: ClientRep[], scopes: ClientScopeRep[] = [], version = '26.7.5') =>
  realmSnapshotFixture(clients, version, scopes);

function auditOf(
  clients: ClientRep[],
  options: { scopes?: ClientScopeRep[]; version?: string; file?: Map<string, string[]> } = {},
) {
  const audit = auditRealm(snapshotOf(clients, options.scopes, options.version), { requirements: options.file });
  return (clientId: string): ClientAudit => {
    const found = audit.clients.find((client) => client.clientId === clientId);
    if (!found) throw new Error(`no audit of ${clientId}`);
    return found;
  };
}

const statuses = (audit: ClientAudit) =>
  Object.fromEntries(audit.requirements.map((requirement) => [requirement.audience, requirement.status]));

describe('the requirements attribute', () => {
  it('reads a JSON array of names, each once', () => {
    expect(parseRequiresAttribute('["api","other","api"]')).toEqual({ ok: true, audiences: ['api', 'other'] });
    expect(parseRequiresAttribute('[]')).toEqual({ ok: true, audiences: [] });
    expect(parseRequiresAttribute(undefined)).toBeUndefined();
  });

  it('calls anything else junk, and says why', () => {
    expect(parseRequiresAttribute('api')).toEqual({ ok: false, why: 'it is not JSON' });
    expect(parseRequiresAttribute('"api"')).toEqual({ ok: false, why: 'it is not a JSON array' });
    expect(parseRequiresAttribute('[1]')).toEqual({ ok: false, why: '1 is not a string' });
    expect(parseRequiresAttribute('[""]')).toEqual({ ok: false, why: 'it holds an empty name' });
    expect(parseRequiresAttribute('[" api"]')).toEqual({ ok: false, why: '" api" has spaces around it' });
  });

  it('takes the file over the attribute, the attribute over the default, and the default over junk', () => {
    const file = new Map([['from-file', ['x']]]);
    expect(requirementsOf(clientRepFixture('from-file', { attributes: requires(['y']) }), file)).toEqual({
      audiences: ['x'],
      source: 'file',
      declaredBy: [],
      addedByDeclarations: [],
    });
    expect(requirementsOf(clientRepFixture('attr', { attributes: requires(['y']) }), file)).toEqual({
      audiences: ['y'],
      source: 'attribute',
      declaredBy: [],
      addedByDeclarations: [],
    });
    expect(requirementsOf(clientRepFixture('plain'), file)).toEqual({
      audiences: ['plain'],
      source: 'default',
      declaredBy: [],
      addedByDeclarations: [],
    });
    expect(requirementsOf(clientRepFixture('junk', { attributes: { [REQUIRES_ATTRIBUTE]: 'api' } }), file)).toEqual({
      audiences: ['junk'],
      source: 'default',
      unreadable: 'api (it is not JSON)',
      declaredBy: [],
      addedByDeclarations: [],
    });
  });
});

describe('null in the requirements file', () => {
  it('is read as the default rule, whatever the attribute states', () => {
    const parsed = parseRequirementsFile('{"spa": null, "api": []}');
    expect(parsed.ok && [...parsed.requirements]).toEqual([
      ['spa', null],
      ['api', []],
    ]);
    const file = new Map([['spa', null]]);
    expect(requirementsOf(clientRepFixture('spa', { attributes: requires(['api']) }), file)).toEqual({
      audiences: ['spa'],
      source: 'default',
      declaredBy: [],
      addedByDeclarations: [],
    });
  });
});

describe('the requirements file', () => {
  it('is a JSON object of clientId → array of audiences', () => {
    const parsed = parseRequirementsFile('{"spa":["api"],"api":[]}');
    expect(parsed.ok && [...parsed.requirements]).toEqual([
      ['spa', ['api']],
      ['api', []],
    ]);
  });

  it('names the first bad entry', () => {
    expect(parseRequirementsFile('nope')).toMatchObject({ ok: false, why: expect.stringContaining('not JSON') });
    expect(parseRequirementsFile('["spa"]')).toMatchObject({ ok: false, why: expect.stringContaining('JSON object') });
    expect(parseRequirementsFile('{"spa":"api"}')).toEqual({
      ok: false,
      why: 'the entry for "spa" is wrong: it is not a JSON array',
    });
  });
});

describe('verdicts per requirement', () => {
  const sharedScope: ClientScopeRep = {
    id: 'scope-shared',
    name: 'shared',
    protocol: 'openid-connect',
    protocolMappers: [audienceMapperFixture('api')],
  };
  const optionalScope: ClientScopeRep = {
    id: 'scope-reports',
    name: 'reports',
    protocol: 'openid-connect',
    protocolMappers: [audienceMapperFixture('reports-api')],
  };
  const api = clientRepFixture('api', { bearerOnly: true });
  const reportsApi = clientRepFixture('reports-api', { bearerOnly: true });

  it('keeps the default rule as it was: the own clientId, nothing else required', () => {
    const result = auditOf([clientRepFixture('spa', { defaultClientScopes: ['shared'] }), api], {
      scopes: [sharedScope],
    })('spa');
    expect(result.requirementSource).toBe('default');
    expect(result.verdict).toBe('missing');
    expect(statuses(result)).toEqual({ spa: 'unmet' });
    expect(result.unrequiredAudiences).toEqual(['api']);
  });

  it('judges each required audience: met through a default scope, conditional through an optional one', () => {
    const spa = clientRepFixture('spa', {
      attributes: requires(['api', 'reports-api']),
      defaultClientScopes: ['shared'],
      optionalClientScopes: ['reports'],
    });
    const result = auditOf([spa, api, reportsApi], { scopes: [sharedScope, optionalScope] })('spa');
    expect(statuses(result)).toEqual({ api: 'met', 'reports-api': 'conditional' });
    expect(result.requirements[0]?.evidence.map((item) => item.container.name)).toEqual(['shared']);
    expect(result.requirements[1]?.reason).toContain('scope "reports"');
    expect(result.verdict).toBe('conditional');
    expect(result.reason).toContain('reports-api');
    // Its own clientId is not required, and not carried either.
    expect(result.unrequiredAudiences).toEqual([]);
  });

  it('makes the worst requirement the verdict, and says which', () => {
    const spa = clientRepFixture('spa', { attributes: requires(['api', 'billing']), defaultClientScopes: ['shared'] });
    const result = auditOf([spa, api], { scopes: [sharedScope] })('spa');
    expect(statuses(result)).toEqual({ api: 'met', billing: 'unmet' });
    expect(result.verdict).toBe('missing');
    expect(result.reason).toBe(
      'Missing: required audience billing. No Audience mapper adds billing to its access tokens.',
    );
  });

  it('is ok when every requirement is met, and nothing is required by []', () => {
    const met = clientRepFixture('spa', { attributes: requires(['api']), defaultClientScopes: ['shared'] });
    const none = clientRepFixture('batch', { attributes: requires([]), defaultClientScopes: ['shared'] });
    const judge = auditOf([met, none, api], { scopes: [sharedScope] });
    expect(judge('spa').verdict).toBe('ok');
    expect(judge('batch').verdict).toBe('not-applicable');
    expect(judge('batch').requirements).toEqual([]);
    expect(judge('batch').unrequiredAudiences).toEqual(['api']);
  });

  it('meets a custom audience through included.custom.audience', () => {
    const spa = clientRepFixture('spa', {
      attributes: requires(['https://api.example.com']),
      protocolMappers: [
        {
          name: 'custom',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.custom.audience': 'https://api.example.com', 'access.token.claim': 'true' },
        },
      ],
    });
    expect(statuses(auditOf([spa])('spa'))).toEqual({ 'https://api.example.com': 'met' });
  });

  it('cannot meet a requirement naming a disabled client on 26.7.5, and meets it before', () => {
    const spa = clientRepFixture('spa', { attributes: requires(['api']), defaultClientScopes: ['shared'] });
    const disabledApi = { ...api, enabled: false };
    const now = auditOf([spa, disabledApi], { scopes: [sharedScope] })('spa');
    expect(statuses(now)).toEqual({ api: 'unmet' });
    expect(now.requirements[0]?.reason).toContain('until client "api" is enabled');
    const before = auditOf([spa, disabledApi], { scopes: [sharedScope], version: '26.5.6' })('spa');
    expect(statuses(before)).toEqual({ api: 'met' });
  });

  it('names the mapper that would add a requirement but has its token flag off', () => {
    const spa = clientRepFixture('spa', {
      attributes: requires(['api']),
      protocolMappers: [audienceMapperFixture('api', { 'access.token.claim': 'false' })],
    });
    const result = auditOf([spa, api])('spa');
    expect(statuses(result)).toEqual({ api: 'unmet' });
    expect(result.requirements[0]?.reason).toContain('"Add to access token" must be on');
  });

  it('flags junk in the attribute and judges by the default meanwhile', () => {
    const spa = clientRepFixture('spa', {
      attributes: { [REQUIRES_ATTRIBUTE]: 'api, billing' },
      protocolMappers: [audienceMapperFixture('spa')],
    });
    const result = auditOf([spa])('spa');
    expect(result.verdict).toBe('ok');
    expect(result.requirementSource).toBe('default');
    expect(result.problems.map((problem) => problem.code)).toContain('requirements-unreadable');
  });

  it('lets the file win over the attribute', () => {
    const spa = clientRepFixture('spa', { attributes: requires(['billing']), defaultClientScopes: ['shared'] });
    const result = auditOf([spa, api], { scopes: [sharedScope], file: new Map([['spa', ['api']]]) })('spa');
    expect(result.requirementSource).toBe('file');
    expect(statuses(result)).toEqual({ api: 'met' });
  });

  it('while reading, waits for a required audience that names no client read yet', () => {
    const spa = clientRepFixture('spa', { attributes: requires(['zz-api']) });
    const auditor = createPartialAuditor();
    const early = auditor(snapshotOf([spa]), { clientsComplete: false, pendingScopeIds: [] });
    expect(early.waiting.get(spa.id)).toEqual(['other clients']);
    const complete = auditor(snapshotOf([spa, clientRepFixture('zz-api', { bearerOnly: true })]), {
      clientsComplete: true,
      pendingScopeIds: [],
    });
    expect(complete.waiting.size).toBe(0);
  });
});
