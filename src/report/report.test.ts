import { describe, expect, it } from 'vitest';
import { byClientId, sampleReport } from './sample-reports.ts';

describe('toRealmReport', () => {
  it("leaves Keycloak's own clients out unless asked for", () => {
    expect(sampleReport().clients.map((client) => client.clientId)).not.toContain('admin-cli');
    const all = sampleReport({ includeBuiltIn: true });
    expect(byClientId(all, 'admin-cli')).toMatchObject({ builtIn: true, verdict: 'missing' });
  });

  it('says null when the server version was not readable', () => {
    expect(sampleReport().keycloakVersion).toBeNull();
    expect(sampleReport({ keycloakVersion: '26.7.3' }).keycloakVersion).toBe('26.7.3');
  });

  it('carries the engine findings as plain data', () => {
    const inventory = byClientId(sampleReport(), 'inventory-app');
    expect(inventory).toEqual({
      clientId: 'inventory-app',
      id: 'uuid-inventory-app',
      verdict: 'ok',
      reason: expect.stringContaining('inventory-app audience'),
      evidence: [
        {
          container: expect.objectContaining({ type: 'client', name: 'inventory-app-dedicated' }),
          mapper: expect.objectContaining({ name: 'inventory-app audience', type: 'oidc-audience-mapper' }),
          value: 'inventory-app',
        },
      ],
      problems: [],
      audiences: ['inventory-app'],
      builtIn: false,
    });
    expect(JSON.parse(JSON.stringify(inventory))).toEqual(inventory);
  });

  it('adds a verification to every client only with --verify-user, null where no token is made', () => {
    expect('verification' in byClientId(sampleReport(), 'orders-web')).toBe(false);
    const verified = sampleReport({ verify: true });
    expect(byClientId(verified, 'catalog-api').verification).toBeNull();
    expect(byClientId(verified, 'inventory-app').verification).toEqual({
      user: 'alice',
      aud: ['inventory-app'],
      ownInToken: true,
      agrees: true,
    });
  });
});
