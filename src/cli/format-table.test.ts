import { describe, expect, it } from 'vitest';
import { clientsHiddenReport, sampleReport, scopesHiddenReport } from '../report/sample-reports.ts';
import { ansi, formatTable } from './format-table.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the escape character itself.
const ESCAPE = /\u001b\[/;

describe('formatTable', () => {
  it('is plain text by default: a summary, a header, worst clients first, problems indented', () => {
    const lines = formatTable([sampleReport({ keycloakVersion: '26.7.3' })])
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe('Realm demo (Keycloak 26.7.3): 6 clients, 2 missing, 3 ok, 1 not-applicable');
    expect(lines[1]).toMatch(/^CLIENT\s+VERDICT\s+AUDIENCES\s+WHY$/);
    const clientOrder = lines
      .slice(2)
      .filter((line) => !line.startsWith(' '))
      .map((line) => line.split(/\s+/)[0]);
    expect(clientOrder).toEqual([
      'orders-web',
      'payroll-app',
      '=HYPERLINK("http://evil.example")',
      'inventory-app',
      'two-mappers',
      'catalog-api',
    ]);
    const payroll = lines.findIndex((line) => line.startsWith('payroll-app'));
    expect(lines[payroll + 1]).toMatch(/^ {4}token-flag-off: Audience mapper "payroll-app audience"/);
    expect(lines.join('\n')).not.toMatch(ESCAPE);
  });

  it('aligns the columns', () => {
    const lines = formatTable([sampleReport()]).split('\n').slice(1, 4);
    const verdictColumn = lines.map((line) => line.search(/VERDICT|missing|ok/));
    expect(new Set(verdictColumn).size).toBe(1);
  });

  it('colours verdicts only when given the ANSI paint', () => {
    const coloured = formatTable([sampleReport()], ansi);
    expect(coloured).toMatch(ESCAPE);
    expect(coloured).toContain('\u001b[31mmissing');
    expect(coloured).toContain('\u001b[32mok');
  });

  it('shows the token aud and whether it agrees with --verify-user', () => {
    const text = formatTable([sampleReport({ verify: true })]);
    expect(text.split('\n')[1]).toMatch(/TOKEN AUD/);
    expect(text).toMatch(/orders-web\s+missing\s+-\s+orders-web \(DISAGREES\)/);
    expect(text).toMatch(/inventory-app\s+ok\s+inventory-app\s+inventory-app \(agrees\)/);
  });

  it('marks built-in clients, prints notes, and separates realms', () => {
    const report = { ...sampleReport({ includeBuiltIn: true }), notes: ['Client policies not checked.'] };
    const text = formatTable([report, sampleReport({ realm: 'demo-2' })]);
    expect(text).toContain('admin-cli (built-in)');
    expect(text).toContain('note: Client policies not checked.');
    expect(text).toContain('\n\nRealm demo-2: ');
  });

  it('counts cannot-judge clients, lists them right after the missing ones, with their unseen scopes', () => {
    const lines = formatTable([scopesHiddenReport()]).trimEnd().split('\n');
    expect(lines[0]).toBe('Realm demo: 2 clients, 1 cannot-judge, 1 not-applicable');
    expect(lines[2]).toMatch(/^orders-web\s+cannot-judge\s+-\s+Cannot judge: .*Next step/);
    expect(lines[3]).toMatch(/^ {4}scope-not-visible: /);
  });

  it("says under the realm's summary that nothing was judged, and why", () => {
    const lines = formatTable([clientsHiddenReport()]).trimEnd().split('\n');
    expect(lines[0]).toBe('Realm shop: 0 clients');
    expect(lines[1]).toMatch(/^cannot judge: Keycloak listed no clients in realm "shop".*Next step/);
    expect(lines.join('\n')).not.toContain('(no clients to report)');
  });
});
