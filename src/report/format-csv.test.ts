import { describe, expect, it } from 'vitest';
import { csvCell, formatCsv } from './format-csv.ts';
import { readCsv } from './read-csv.ts';
import { sampleReport, scopesHiddenReport } from './sample-reports.ts';

describe('csvCell', () => {
  it.each([
    ['=1+2', `"'=1+2"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['  =1', `"'  =1"`],
    ['a=1', '"a=1"'],
    ['say "hi"', '"say ""hi"""'],
    ['', '""'],
  ])('%j becomes %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('formatCsv', () => {
  it('has a header and one row per client, with CRLF line ends', () => {
    const text = formatCsv([sampleReport()], false);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    const [header, ...rows] = readCsv(text);
    expect(header).toEqual([
      'realm',
      'clientId',
      'id',
      'verdict',
      'builtIn',
      'problems',
      'audiences',
      'evidence',
      'reason',
      'requirements',
      'unrequiredAudiences',
      'declaredBy',
      'builtInAudiences',
    ]);
    expect(rows).toHaveLength(sampleReport().clients.length);
    expect(rows.every((row) => row.length === header?.length)).toBe(true);
    const payroll = rows.find((row) => row[1] === 'payroll-app');
    expect(payroll?.slice(3, 7)).toEqual(['missing', 'false', 'token-flag-off', '']);
    expect(payroll?.slice(9, 11)).toEqual(['unmet payroll-app', '']);
  });

  it('keeps a clientId that looks like a formula as text', () => {
    const rows = readCsv(formatCsv([sampleReport()], false));
    const ids = rows.map((row) => row[1]);
    expect(ids).toContain(`'=HYPERLINK("http://evil.example")`);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^\s*[=+\-@]/);
  });

  it('adds the token columns with --verify-user', () => {
    const [header, ...rows] = readCsv(formatCsv([sampleReport({ verify: true })], true));
    expect(header?.slice(-4)).toEqual(['verifyUser', 'tokenAud', 'ownInToken', 'agrees']);
    expect(rows.find((row) => row[1] === 'orders-web')?.slice(-4)).toEqual(['alice', 'orders-web', 'true', 'false']);
    expect(rows.find((row) => row[1] === 'catalog-api')?.slice(-4)).toEqual(['', '', '', '']);
  });

  it('writes cannot-judge as the verdict, with the problem codes and the next step', () => {
    const [, ...rows] = readCsv(formatCsv([scopesHiddenReport()], false));
    const orders = rows.find((cells) => cells[1] === 'orders-web');
    expect(orders?.[3]).toBe('cannot-judge');
    expect(orders?.[5]).toBe('scope-not-visible scope-not-visible');
    expect(orders?.[8]).toContain('Next step');
  });
});
