import { describe, expect, it } from 'vitest';
import type { RealmReport } from '../report/report.ts';
import { byClientId, sampleReport } from '../report/sample-reports.ts';
import { EXIT_FINDINGS, EXIT_OK, exitCodeFor } from './exit-code.ts';
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
});
