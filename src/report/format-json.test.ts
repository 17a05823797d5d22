import { describe, expect, it } from 'vitest';
import { formatJson } from './format-json.ts';
import { clientsHiddenReport, sampleReport, scopesHiddenReport } from './sample-reports.ts';

describe('formatJson', () => {
  it('prints one realm as an object with the documented keys', () => {
    const parsed = JSON.parse(formatJson([sampleReport({ keycloakVersion: '26.7.3' })], false));
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion',
      'realm',
      'keycloakVersion',
      'cannotJudge',
      'clients',
      'notes',
    ]);
    expect(parsed.schemaVersion).toBe(3);
    expect(parsed.realm).toBe('demo');
    expect(parsed.keycloakVersion).toBe('26.7.3');
    for (const client of parsed.clients) {
      expect(Object.keys(client)).toEqual([
        'clientId',
        'id',
        'verdict',
        'reason',
        'evidence',
        'problems',
        'audiences',
        'requirementSource',
        'declaredBy',
        'requirements',
        'unrequiredAudiences',
        'builtInAudiences',
        'introspection',
        'exchange',
        'builtIn',
      ]);
    }
  });

  it('prints an array with --all-realms, even of one realm, and null for an unknown version', () => {
    const parsed = JSON.parse(formatJson([sampleReport(), sampleReport({ realm: 'demo-2' })], true));
    expect(parsed.map((report: { realm: string }) => report.realm)).toEqual(['demo', 'demo-2']);
    expect(parsed[0].keycloakVersion).toBeNull();
    expect(JSON.parse(formatJson([sampleReport()], true))).toHaveLength(1);
  });

  it('prints cannotJudge as null, or as the message for a realm that listed no clients, and cannot-judge verdicts', () => {
    expect(JSON.parse(formatJson([sampleReport()], false)).cannotJudge).toBeNull();
    const hidden = JSON.parse(formatJson([clientsHiddenReport()], false));
    expect(hidden.cannotJudge).toContain('Next step');
    expect(hidden.clients).toEqual([]);
    const scopes = JSON.parse(formatJson([scopesHiddenReport()], false));
    expect(scopes.clients.map((client: { verdict: string }) => client.verdict)).toContain('cannot-judge');
  });
});
