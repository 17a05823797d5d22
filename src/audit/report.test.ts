import { describe, expect, it } from 'vitest';
import type { ClientAudit, RealmAudit } from './findings.ts';
import { csvCell, toCsv, toReport } from './report.ts';

const client = (clientId: string, partial: Partial<ClientAudit> = {}): ClientAudit => ({
  id: `id-${clientId}`,
  clientId,
  name: undefined,
  kind: 'confidential',
  builtIn: false,
  lightweight: false,
  verdict: 'missing',
  reason: 'Missing: no Audience mapper adds it.',
  evidence: [],
  problems: [],
  audiences: ['account'],
  conditionalAudiences: [],
  roleAudiences: true,
  ...partial,
});

const audit: RealmAudit = {
  realm: 'demo',
  clients: [client('orders-web'), client('account', { builtIn: true, verdict: 'ok' }), client('=cmd|calc')],
  audienceIndex: {},
  notes: [],
};

describe('toReport', () => {
  it('keeps the documented fields only', () => {
    const report = toReport(audit, undefined);
    expect(report.keycloakVersion).toBeNull();
    expect(Object.keys(report.clients[0] ?? {}).sort()).toEqual(
      ['audiences', 'builtIn', 'clientId', 'evidence', 'id', 'problems', 'verdict'].sort(),
    );
  });

  it('can leave built-in clients out', () => {
    expect(toReport(audit, '26.7.3', false).clients.map((c) => c.clientId)).toEqual(['orders-web', '=cmd|calc']);
  });
});

describe('CSV', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('defuses a formula-like cell %j', (value) => {
    expect(csvCell(value).startsWith(`"'`)).toBe(true);
  });

  it('quotes quotes', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes a header and one line per client', () => {
    const lines = toCsv([audit]).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('"realm","clientId","id","verdict","builtIn","audiences","problems","reason"');
    expect(lines[3]).toContain(`"'=cmd|calc"`);
  });
});
