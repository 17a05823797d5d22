import { describe, expect, it } from 'vitest';
import { byClientId, clientsHiddenReport, sampleReport, scopesHiddenReport } from './sample-reports.ts';

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
      requirementSource: 'default',
      requirements: [
        { audience: 'inventory-app', status: 'met', reason: inventory?.reason, evidence: inventory?.evidence },
      ],
      declaredBy: [],
      unrequiredAudiences: [],
      builtInAudiences: [],
      introspection: null,
      exchange: null,
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

  it('says cannot-judge for a client naming a scope the account may not view, and null for a realm it could read', () => {
    const report = scopesHiddenReport();
    expect(report.cannotJudge).toBeNull();
    expect(byClientId(report, 'orders-web')).toMatchObject({
      verdict: 'cannot-judge',
      reason: expect.stringContaining('Next step'),
    });
    expect(byClientId(report, 'orders-web').problems.map((problem) => problem.code)).toEqual([
      'scope-not-visible',
      'scope-not-visible',
    ]);
    expect(byClientId(report, 'catalog-api').verdict).toBe('not-applicable');
  });

  it("carries the realm's cannotJudge, with the next step, when Keycloak listed no clients", () => {
    const report = clientsHiddenReport();
    expect(report.clients).toEqual([]);
    expect(report.cannotJudge).toMatch(/listed no clients in realm "shop".*Next step: .*view-clients/);
  });
});
