import { describe, expect, it } from 'vitest';
import { paths, realmInPath } from './paths.ts';

describe('realmInPath', () => {
  it.each([
    [paths.clients.to({ realm: 'demo' }), 'demo'],
    [paths.trustMap.to({ realm: 'bench-clients-5000' }), 'bench-clients-5000'],
    ['/realms/Demo.2_x~y/clients/', 'Demo.2_x~y'],
  ])('names the realm of %s', (path, realm) => {
    expect(realmInPath(path)).toBe(realm);
  });

  // A name that decoding could change is left to the router, which decodes before it matches.
  it.each([
    paths.clients.to({ realm: 'my realm' }),
    paths.clients.to({ realm: 'a/b' }),
    '/realms/demo/clients/extra',
    '/realms//clients',
    '/realms/demo',
    '/',
  ])('names no realm for %s', (path) => {
    expect(realmInPath(path)).toBeUndefined();
  });
});
