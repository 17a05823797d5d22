import { describe, expect, it } from 'vitest';
import { CALLERS_ATTRIBUTE, REQUIRES_ATTRIBUTE } from '../audit/index.ts';
import { audienceMapperFixture, clientRepFixture } from '../audit/test-fixtures.ts';
import { byClientId, sampleReport } from '../report/sample-reports.ts';
import { UsageError } from './connection-options.ts';
import { EXIT_FINDINGS, EXIT_OK, exitCodeFor } from './exit-code.ts';
import type { SyncFs } from './files.ts';
import { findingsOf } from './findings.ts';
import { readRequirementsFile, unknownRequirementClients } from './requirements-file.ts';

/** A file system of one folder's texts: enough for a reader that never writes. */
function filesOf(texts: Record<string, string>): SyncFs {
  const refuse = () => {
    throw new Error('this reader must not write');
  };
  return {
    readFileSync: (path) => {
      const text = texts[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    writeFileSync: refuse,
    renameSync: refuse,
    rmSync: refuse,
  };
}

const requires = (audiences: string[]) => ({ [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) });

/** spa must carry orders-api, which a shared default scope gives it, and billing-api, which nothing gives. */
const requirementsReport = () =>
  sampleReport({
    clients: [
      clientRepFixture('spa', {
        attributes: requires(['orders-api', 'billing-api']),
        protocolMappers: [audienceMapperFixture('orders-api'), audienceMapperFixture('shared-api')],
      }),
      clientRepFixture('worker', {
        attributes: requires(['orders-api']),
        protocolMappers: [audienceMapperFixture('orders-api')],
      }),
      clientRepFixture('orders-api', { bearerOnly: true }),
      clientRepFixture('billing-api', { bearerOnly: true }),
      clientRepFixture('shared-api', { bearerOnly: true }),
    ],
  });

describe('--requirements FILE', () => {
  it('reads clientId → audiences', () => {
    const fs = filesOf({ 'req.json': '{"spa": ["orders-api"], "batch": []}' });
    expect([...readRequirementsFile(fs, 'req.json')]).toEqual([
      ['spa', ['orders-api']],
      ['batch', []],
    ]);
  });

  it('ends the run with one line for a missing file, a file that is not JSON, and a bad entry', () => {
    const fs = filesOf({ 'bad.json': '{"spa": ', 'list.json': '{"spa": "orders-api"}' });
    expect(() => readRequirementsFile(fs, 'none.json')).toThrow(
      new UsageError('--requirements none.json: no such file'),
    );
    expect(() => readRequirementsFile(fs, 'bad.json')).toThrow(/--requirements bad\.json: it is not JSON/);
    expect(() => readRequirementsFile(fs, 'list.json')).toThrow(
      /the entry for "spa" is wrong: it is not a JSON array\. Expected a JSON object/,
    );
  });

  it('names the clients of the file that the audit did not report', () => {
    const requirements = new Map([
      ['spa', ['orders-api']],
      ['spa-typo', []],
    ]);
    expect(unknownRequirementClients(requirements, [requirementsReport()])).toEqual(['spa-typo']);
  });
});

describe('findings and exit codes by requirement', () => {
  it('reports each requirement that is not met instead of the verdict, and every audience nobody required as a note', () => {
    const spa = byClientId(requirementsReport(), 'spa');
    expect(findingsOf(spa).map((finding) => [finding.ruleId, finding.level])).toEqual([
      ['requirement/unmet', 'error'],
      ['audience/not-required', 'note'],
    ]);
    expect(findingsOf(spa)[0]?.message).toContain('billing-api');
  });

  it('--fail-on missing fails on an unmet requirement; an audience nobody required fails nothing', () => {
    const report = requirementsReport();
    expect(exitCodeFor([report], 'missing')).toBe(EXIT_FINDINGS);
    const worker = { ...report, clients: report.clients.filter((client) => client.clientId === 'worker') };
    expect(exitCodeFor([worker], 'problem')).toBe(EXIT_OK);
    const noted = { ...byClientId(report, 'worker'), unrequiredAudiences: ['shared-api'] };
    expect(findingsOf(noted).map((finding) => finding.ruleId)).toEqual(['audience/not-required']);
    const onlyNotes = { ...report, clients: [noted] };
    expect(exitCodeFor([onlyNotes], 'problem')).toBe(EXIT_OK);
  });
});

describe("Keycloak's own clients as audiences", () => {
  /** The tokens carry realm-management (a built-in client) and shared-api, neither required. */
  const reportOf = (includeBuiltIn: boolean) =>
    sampleReport({
      includeBuiltIn,
      clients: [
        clientRepFixture('spa', {
          attributes: requires(['spa']),
          protocolMappers: [
            audienceMapperFixture('spa'),
            audienceMapperFixture('realm-management'),
            audienceMapperFixture('shared-api'),
          ],
        }),
        clientRepFixture('shared-api', { bearerOnly: true }),
        clientRepFixture('realm-management', { bearerOnly: true }),
      ],
    });

  it('are marked, and raise audience/not-required only with --include-builtin', () => {
    const plain = byClientId(reportOf(false), 'spa');
    expect(plain.builtInAudiences).toEqual(['realm-management']);
    expect(plain.unrequiredAudiences).toEqual(['shared-api']);
    expect(findingsOf(plain).map((finding) => finding.message)).toEqual([expect.stringContaining('shared-api')]);
    const all = byClientId(reportOf(true), 'spa');
    expect(all.builtInAudiences).toEqual(['realm-management']);
    expect(all.unrequiredAudiences).toEqual(['realm-management', 'shared-api']);
    expect(findingsOf(all).map((finding) => finding.ruleId)).toEqual([
      'audience/not-required',
      'audience/not-required',
    ]);
  });
});

describe('declarations in the findings', () => {
  it('report a default client by requirement once another client declares it a caller', () => {
    const report = sampleReport({
      clients: [
        clientRepFixture('web', { protocolMappers: [audienceMapperFixture('web')] }),
        clientRepFixture('orders-api', {
          bearerOnly: true,
          attributes: { [CALLERS_ATTRIBUTE]: JSON.stringify(['web']) },
        }),
      ],
    });
    const web = byClientId(report, 'web');
    expect(web.declaredBy).toEqual(['orders-api']);
    expect(findingsOf(web).map((finding) => [finding.ruleId, finding.message])).toEqual([
      ['requirement/unmet', expect.stringContaining('Required audience orders-api')],
    ]);
    expect(exitCodeFor([report], 'missing')).toBe(EXIT_FINDINGS);
  });
});
