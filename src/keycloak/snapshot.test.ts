import { describe, expect, it } from 'vitest';
import { toClientRep } from './representations.ts';
import { scopesNeedingRoleCheck } from './scope-roles.ts';
import { visibilityOf } from './snapshot.ts';

describe('toClientRep', () => {
  it('drops the client secret and secret-looking attributes', () => {
    const rep = toClientRep({
      id: 'u1',
      clientId: 'app',
      secret: 'client-secret-value',
      attributes: {
        'saml.signing.private.key': 'PRIVATE-KEY',
        'client.secret.creation.time': '1700000000',
        'pkce.code.challenge.method': 'S256',
      },
      protocolMappers: [{ name: 'm', protocol: 'openid-connect', protocolMapper: 'oidc-audience-mapper', config: {} }],
    });
    const text = JSON.stringify(rep);
    expect(text).not.toContain('client-secret-value');
    expect(text).not.toContain('PRIVATE-KEY');
    expect(rep.attributes).toEqual({ 'pkce.code.challenge.method': 'S256' });
    expect(rep.protocolMappers).toHaveLength(1);
  });

  it('fills absent lists with empty ones', () => {
    const rep = toClientRep({ id: 'u1', clientId: 'app' });
    expect(rep.defaultClientScopes).toEqual([]);
    expect(rep.optionalClientScopes).toEqual([]);
    expect(rep.protocolMappers).toEqual([]);
  });
});

describe('scopesNeedingRoleCheck', () => {
  it('keeps only scopes with a mapper that can write aud', () => {
    const scopes = [
      { id: '1', name: 'fix', protocolMappers: [{ protocolMapper: 'oidc-audience-mapper' }] },
      {
        id: '2',
        name: 'override',
        protocolMappers: [{ protocolMapper: 'oidc-hardcoded-claim-mapper', config: { 'claim.name': 'aud' } }],
      },
      {
        id: '3',
        name: 'profile',
        protocolMappers: [{ protocolMapper: 'oidc-usermodel-property-mapper', config: { 'claim.name': 'email' } }],
      },
      { id: '4', name: 'empty' },
    ];
    expect(scopesNeedingRoleCheck(scopes).map((scope) => scope.name)).toEqual(['fix', 'override']);
  });
});

describe('visibilityOf', () => {
  const app = (defaultClientScopes: string[], optionalClientScopes: string[] = []) =>
    toClientRep({ id: 'u1', clientId: 'app', defaultClientScopes, optionalClientScopes });
  const roles = { id: 's1', name: 'roles' };

  it('says nothing when both lists have entries', () => {
    expect(visibilityOf([app(['roles'])], [roles])).toBeUndefined();
  });

  it('an empty client list is hidden clients: every realm has realm-management', () => {
    expect(visibilityOf([], [roles])).toEqual({ clientsHidden: true, scopesHidden: false });
    expect(visibilityOf([], [])).toEqual({ clientsHidden: true, scopesHidden: false });
  });

  it('no client scopes while a client names one (default or optional) is hidden scopes', () => {
    expect(visibilityOf([app(['roles'])], [])).toEqual({ clientsHidden: false, scopesHidden: true });
    expect(visibilityOf([app([], ['phone'])], [])).toEqual({ clientsHidden: false, scopesHidden: true });
  });

  it('no client scopes and no client naming any is a realm without scopes, not a hidden list', () => {
    expect(visibilityOf([app([])], [])).toBeUndefined();
  });
});
