import { describe, expect, it } from 'vitest';
import { consoleLinks } from './console-links.ts';

describe('consoleLinks', () => {
  it('opens the client through the login realm of the admin', () => {
    expect(consoleLinks('http://localhost:8080/admin/', 'master', 'demo', 'c-1')).toEqual({
      settings: 'http://localhost:8080/admin/master/console/#/demo/clients/c-1/settings',
      clientScopes: 'http://localhost:8080/admin/master/console/#/demo/clients/c-1/clientScopes',
      dedicatedScope: 'http://localhost:8080/admin/master/console/#/demo/clients/c-1/clientScopes/dedicated',
    });
  });
});
