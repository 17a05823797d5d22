import { describe, expect, it } from 'vitest';
import type { RealmReport } from '../report/report.ts';
import { byClientId, clientsHiddenReport, sampleReport, scopesHiddenReport } from '../report/sample-reports.ts';
import { EXIT_CANNOT_AUDIT, EXIT_FINDINGS, EXIT_OK, exitCodeFor, unjudged } from './exit-code.ts';
import { findingsOf } from './findings.ts';

const only = (report: RealmReport, ...clientIds: string[]): RealmReport => ({
  ...report,
  clients: report.clients.filter((client) => clientIds.includes(client.clientId)),
});

describe('exitCodeFor', () => {
  const report = sampleReport();

  it('--fail-on missing: 1 only when a reported client lacks its own audience', () => {
    expect(exitCodeFor([report], 'missing')).toBe(EXIT_FINDINGS);
    expect(exitCodeFor([only(report, 'inventory-app', 'two-mappers', 'catalog-api')], 'missing')).toBe(EXIT_OK);
  });

  it('--fail-on problem: also a problem beside a working fix', () => {
    expect(exitCodeFor([only(report, 'inventory-app', 'catalog-api')], 'problem')).toBe(EXIT_OK);
    expect(exitCodeFor([only(report, 'inventory-app', 'two-mappers')], 'problem')).toBe(EXIT_FINDINGS);
  });

  it('--fail-on problem: also a token that disagrees with the verdict', () => {
    const verified = sampleReport({ verify: true });
    expect(exitCodeFor([only(verified, 'inventory-app')], 'problem')).toBe(EXIT_OK);
    const disagreeing = only(verified, 'orders-web');
    expect(findingsOf(byClientId(disagreeing, 'orders-web')).map((finding) => finding.ruleId)).toEqual([
      'verdict/missing',
      'verification/disagrees',
    ]);
  });

  it('--fail-on none: 0 whatever was found', () => {
    expect(exitCodeFor([report], 'none')).toBe(EXIT_OK);
  });

  it('counts every realm of --all-realms, and built-in clients only when they are reported', () => {
    const clean = only(report, 'inventory-app');
    expect(exitCodeFor([clean, only(report, 'orders-web')], 'missing')).toBe(EXIT_FINDINGS);
    expect(exitCodeFor([clean, only(sampleReport(), 'admin-cli')], 'missing')).toBe(EXIT_OK);
    expect(exitCodeFor([only(sampleReport({ includeBuiltIn: true }), 'admin-cli')], 'missing')).toBe(EXIT_FINDINGS);
  });

  it('--fail-on missing or problem: 2 when a reported client cannot be judged, even beside clean realms', () => {
    const clean = only(report, 'inventory-app');
    const unseen = only(scopesHiddenReport(), 'orders-web');
    expect(exitCodeFor([clean, unseen], 'missing')).toBe(EXIT_CANNOT_AUDIT);
    expect(exitCodeFor([unseen], 'problem')).toBe(EXIT_CANNOT_AUDIT);
    expect(exitCodeFor([unseen], 'none')).toBe(EXIT_OK);
  });

  it("--fail-on missing or problem: 2 when a realm's cannotJudge is set", () => {
    expect(exitCodeFor([only(report, 'inventory-app'), clientsHiddenReport()], 'missing')).toBe(EXIT_CANNOT_AUDIT);
    expect(exitCodeFor([clientsHiddenReport()], 'problem')).toBe(EXIT_CANNOT_AUDIT);
    expect(exitCodeFor([clientsHiddenReport()], 'none')).toBe(EXIT_OK);
  });
});

describe('unjudged', () => {
  it('is empty when every reported client was judged', () => {
    expect(unjudged([sampleReport()])).toEqual([]);
  });

  it('says, per realm, what could not be judged and the next step', () => {
    const lines = unjudged([clientsHiddenReport(), scopesHiddenReport()]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cannot judge realm shop: Keycloak listed no clients.*Next step/);
    expect(lines[1]).toBe(
      'cannot judge 1 client of realm demo (orders-web): it names client scopes the account may not view. Next step: audit with an account that holds view-clients in realm demo.',
    );
  });
});
