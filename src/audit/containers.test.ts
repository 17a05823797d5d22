import { describe, expect, it } from 'vitest';
import { realmContext } from './audit-realm.ts';
import { containersOf } from './containers.ts';
import type { Problem } from './findings.ts';
import type { ClientScopeRep, ProtocolMapperRep } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';

const claimMapper = (type: string, claimName: string): ProtocolMapperRep => ({
  id: `mapper-${claimName}`,
  name: claimName,
  protocol: 'openid-connect',
  protocolMapper: type,
  config: { 'claim.name': claimName, 'access.token.claim': 'true' },
});

const scope = (name: string, mappers: ProtocolMapperRep[]): ClientScopeRep => ({
  id: `scope-${name}`,
  name,
  protocol: 'openid-connect',
  protocolMappers: mappers,
});

const TYPES = ['oidc-audience-mapper', 'oidc-usermodel-attribute-mapper', 'oidc-hardcoded-claim-mapper'];

describe('containersOf', () => {
  const shared = scope('shared', [
    claimMapper('oidc-usermodel-attribute-mapper', 'email'),
    audienceMapperFixture('api'),
    claimMapper('oidc-hardcoded-claim-mapper', 'aud'),
    claimMapper('oidc-script-based-protocol-mapper', 'anything'),
    claimMapper('custom-aud-writer', 'x'),
  ]);
  const web = clientRepFixture('web', { defaultClientScopes: ['shared'], optionalClientScopes: ['shared'] });
  const app = clientRepFixture('app', { defaultClientScopes: ['shared', 'gone'] });
  const snapshot = { ...realmSnapshotFixture([web, app], '26.7.5', [shared]), mapperTypes: TYPES };

  it('keeps only the mappers that can touch aud, and marks the ones Keycloak has not deployed', () => {
    const [, asDefault] = containersOf(web, realmContext(snapshot), []);
    expect(
      asDefault?.mappers.map(({ ref, notDeployed, overridesAccess }) => [ref.name, notDeployed, overridesAccess]),
    ).toEqual([
      ['api audience', false, false],
      ['aud', false, true],
      ['anything', true, false],
      ['x', true, false],
    ]);
  });

  it('builds a scope once per audit and way of attaching, and again for the next audit', () => {
    const context = realmContext(snapshot);
    const problems: Problem[] = [];
    const [, webDefault, webOptional] = containersOf(web, context, []);
    const [, appDefault] = containersOf(app, context, problems);
    expect(appDefault).toBe(webDefault);
    expect(webOptional).not.toBe(webDefault);
    expect(webOptional?.ref.applies).toBe('optional');
    expect(containersOf(app, realmContext(snapshot), [])[1]).not.toBe(webDefault);
    expect(problems.map((problem) => problem.code)).toEqual(['scope-not-visible']);
  });

  it('sees a scope restricted by roles in one audit and not in the next', () => {
    const restricted = { ...snapshot, scopeRoleRestrictions: { 'scope-shared': true } };
    expect(containersOf(web, realmContext(restricted), [])[1]?.ref.applies).toBe('role-restricted');
    expect(containersOf(web, realmContext(snapshot), [])[1]?.ref.applies).toBe('always');
  });
});
