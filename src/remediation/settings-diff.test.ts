import { describe, expect, it } from 'vitest';
import { attributeValue, changedSettings, withAttribute } from './settings-diff.ts';

const client = {
  clientId: 'api',
  enabled: true,
  redirectUris: ['https://a/*', 'https://b/*'],
  authorizationServicesEnabled: true,
  attributes: { 'pkce.code.challenge.method': 'S256', 'audience-doctor.requires': '["x"]' },
  access: { configure: true },
};

describe('changedSettings', () => {
  it('sees nothing when only the written attribute moved, or a set came back in another order', () => {
    const after = {
      ...client,
      redirectUris: ['https://b/*', 'https://a/*'],
      attributes: { ...client.attributes, 'audience-doctor.requires': '["y"]' },
    };
    expect(changedSettings(client, after, 'audience-doctor.requires')).toEqual([]);
  });

  it('names every other setting and attribute that changed, appeared or went away', () => {
    const { authorizationServicesEnabled: _gone, ...rest } = client;
    const after = {
      ...rest,
      enabled: false,
      attributes: { 'audience-doctor.requires': '["y"]', 'post.logout.redirect.uris': '+' },
    };
    expect(changedSettings(client, after, 'audience-doctor.requires')).toEqual([
      'attributes."pkce.code.challenge.method"',
      'attributes."post.logout.redirect.uris"',
      'authorizationServicesEnabled',
      'enabled',
    ]);
  });

  it('ignores what the admin may do, which is no setting', () => {
    expect(changedSettings(client, { ...client, access: { configure: false } }, 'x')).toEqual([]);
  });
});

describe('attribute values', () => {
  it('reads absent and empty alike, and writes null as the empty string Keycloak removes', () => {
    expect(attributeValue(client, 'nope')).toBeNull();
    expect(attributeValue({ ...client, attributes: { a: '' } }, 'a')).toBeNull();
    expect(withAttribute(client, 'audience-doctor.requires', null).attributes).toMatchObject({
      'audience-doctor.requires': '',
      'pkce.code.challenge.method': 'S256',
    });
  });
});
