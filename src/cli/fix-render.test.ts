import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from '../audit/test-fixtures.ts';
import { planFix } from '../remediation/plan.ts';
import type { ClientProof } from '../remediation/verify.ts';
import { humanPlan, planAnnex, planOutput, proofLines, shellWord } from './fix-render.ts';

const snapshot: RealmSnapshot = {
  realm: 'shop',
  keycloakVersion: undefined,
  clients: [
    clientRepFixture('orders-web'),
    clientRepFixture('shop-spa'),
    clientRepFixture('fixed-app', { protocolMappers: [audienceMapperFixture('fixed-app')] }),
  ],
  clientScopes: [],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};
const URL = 'https://kc.example.com';
const planned = (strategy: 'client-scope' | 'shared-scope', clientIds = ['orders-web', 'shop-spa', 'fixed-app']) =>
  planFix(snapshot, auditRealm(snapshot), clientIds, { strategy, runId: 'run-9' });

describe('printing a fix', () => {
  it('lists each change with its undo, then who was skipped and why', () => {
    const plan = planned('client-scope');
    const lines = humanPlan(plan, URL);
    expect(lines.slice(0, 4)).toEqual([
      'Plan for realm "shop" at https://kc.example.com (strategy client-scope, run run-9):',
      '4 changes for 2 clients: orders-web, shop-spa.',
      '',
      '  1. Create client scope "orders-web-audience" with Audience mapper "orders-web-audience" (adds orders-web to access tokens)',
    ]);
    expect(lines[4]).toBe('     undo: Delete client scope "orders-web-audience"');
    expect(planAnnex(plan)).toEqual([
      '',
      'Skipped (1):',
      '  - fixed-app: Its access tokens already carry its clientId.',
    ]);
    expect(humanPlan(planned('client-scope', ['fixed-app']), URL)).toEqual([
      'No changes for realm "shop" at https://kc.example.com: nothing to write.',
    ]);
  });

  it('says for a shared scope which service will accept whose tokens', () => {
    expect(planAnnex(planned('shared-scope', ['orders-web', 'shop-spa']))).toEqual([
      '',
      'Who accepts whose tokens afterwards:',
      '  - orders-web will accept access tokens issued to shop-spa',
      '  - shop-spa will accept access tokens issued to orders-web',
    ]);
  });

  it('prints REST calls or a kcadm.sh script alone on stdout, the rest on stderr', () => {
    const rest = planOutput(planned('client-scope'), 'rest', URL);
    expect(rest.out).toMatch(/^# 4 Admin API calls for realm "shop"/);
    expect(rest.err).toEqual(['Skipped (1):', '  - fixed-app: Its access tokens already carry its clientId.']);
    expect(planOutput(planned('client-scope'), 'kcadm', URL).out).toMatch(/^#!\/usr\/bin\/env bash\n/);
  });

  it('prints each proof with its judge', () => {
    const proof = (clientId: string, patch: Partial<ClientProof>): ClientProof => ({
      clientId,
      verdict: 'ok',
      judge: 'example token',
      user: `service account of ${clientId}`,
      aud: [clientId],
      expected: clientId,
      expectedInToken: true,
      problem: undefined,
      ...patch,
    });
    expect(
      proofLines([
        proof('orders-web', {}),
        proof('shop-spa', { judge: 'example token, policy not applied', aud: [], expectedInToken: false }),
        proof('batch', { user: undefined, aud: undefined, expectedInToken: undefined, problem: 'No user.' }),
      ]),
    ).toEqual([
      '  ok          orders-web: the token carries "orders-web" (judge: example token; for service account of orders-web; aud: orders-web)',
      '  LACKING     shop-spa: the token lacks "shop-spa" (judge: example token, policy not applied; for service account of shop-spa; aud: empty)',
      '  unverified  batch: No user. (judge: example token)',
    ]);
  });

  it('quotes a file name for the shell only when it needs it', () => {
    expect(shellWord('out/fix.plan.json')).toBe('out/fix.plan.json');
    expect(shellWord("my plan's.json")).toBe("'my plan'\\''s.json'");
  });
});
