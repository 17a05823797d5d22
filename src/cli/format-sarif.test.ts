import { describe, expect, it } from 'vitest';
import { clientsHiddenReport, sampleReport, scopesHiddenReport } from '../report/sample-reports.ts';
import { findingsOf } from './findings.ts';
import { clientArtifactUri, formatSarif, realmArtifactUri } from './format-sarif.ts';

const TOOL = { name: 'audience-doctor', version: '1.2.3' };

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: { name: string }[] }[];
  partialFingerprints: Record<string, string>;
}

const runOf = (text: string) => JSON.parse(text).runs[0];

describe('formatSarif', () => {
  it('is a SARIF 2.1.0 log with one run of this tool', () => {
    const log = JSON.parse(formatSarif([sampleReport()], TOOL));
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'audience-doctor', version: '1.2.3' });
  });

  it('has one result per finding, each pointing at its rule by id and index', () => {
    const report = sampleReport();
    const run = runOf(formatSarif([report], TOOL));
    const expected = report.clients.flatMap((client) => findingsOf(client).map((finding) => finding.ruleId));
    const results: SarifResult[] = run.results;
    expect(results.map((result) => result.ruleId)).toEqual(expected);
    expect(expected).toEqual([
      'verdict/missing',
      'verdict/missing',
      'problem/token-flag-off',
      'problem/token-flag-off',
    ]);
    for (const result of results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('declares every rule once, each with a name, descriptions and a level', () => {
    const rules: { id: string; name: string; shortDescription: { text: string }; defaultConfiguration: object }[] =
      runOf(formatSarif([], TOOL)).tool.driver.rules;
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    expect(rules.map((rule) => rule.id)).toEqual(
      expect.arrayContaining([
        'verdict/missing',
        'verdict/conditional',
        'problem/uuid-value',
        'verification/disagrees',
        'verdict/cannot-judge',
        'realm/cannot-judge',
      ]),
    );
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.defaultConfiguration).toHaveProperty('level');
    }
  });

  it('locates a result at its client, with a fingerprint stable between runs', () => {
    const first = runOf(formatSarif([sampleReport()], TOOL)).results as SarifResult[];
    const second = runOf(formatSarif([sampleReport()], TOOL)).results as SarifResult[];
    const payroll = first.filter((result) => result.locations[0]?.logicalLocations[0]?.name === 'payroll-app');
    expect(payroll.map((result) => result.level)).toEqual(['error', 'warning']);
    expect(payroll[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'keycloak/realms/demo/clients/payroll-app',
    );
    expect(payroll[0]?.message.text).toContain('payroll-app (realm demo)');
    expect(first.map((result) => result.partialFingerprints)).toEqual(
      second.map((result) => result.partialFingerprints),
    );
    const fingerprints = first.map((result) => Object.values(result.partialFingerprints)[0]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('escapes clientIds in the location', () => {
    expect(clientArtifactUri('my realm', 'a/b?c')).toBe('keycloak/realms/my%20realm/clients/a%2Fb%3Fc');
  });

  it('adds a result for a token that disagrees with the verdict', () => {
    const results: SarifResult[] = runOf(formatSarif([sampleReport({ verify: true })], TOOL)).results;
    const disagreements = results.filter((result) => result.ruleId === 'verification/disagrees');
    expect(disagreements).toHaveLength(1);
    expect(disagreements[0]?.message.text).toContain('user "alice" carries orders-web');
  });

  it('reports a client that cannot be judged as an error, with each unseen scope', () => {
    const run = runOf(formatSarif([scopesHiddenReport()], TOOL));
    const results: SarifResult[] = run.results;
    expect(results.map((result) => [result.ruleId, result.level])).toEqual([
      ['verdict/cannot-judge', 'error'],
      ['problem/scope-not-visible', 'warning'],
      ['problem/scope-not-visible', 'warning'],
    ]);
    for (const result of results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('reports a realm that listed no clients as one error at the realm', () => {
    const run = runOf(formatSarif([clientsHiddenReport(), sampleReport()], TOOL));
    const results: SarifResult[] = run.results;
    const realm = results.filter((result) => result.ruleId === 'realm/cannot-judge');
    expect(realm).toHaveLength(1);
    expect(realm[0]).toMatchObject({ level: 'error', message: { text: expect.stringContaining('Next step') } });
    expect(realm[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(realmArtifactUri('shop'));
    expect(run.tool.driver.rules[realm[0]?.ruleIndex ?? -1].id).toBe('realm/cannot-judge');
    expect(results.filter((result) => result.ruleId !== 'realm/cannot-judge')).toHaveLength(4);
  });
});
