import { describe, expect, it } from 'vitest';
import type { TrustEdge } from '../audit/trust-map.ts';
import { readCsv } from './read-csv.ts';
import { formatEdgesCsv, formatEdgesJson } from './trust-map-edges.ts';

const edges: TrustEdge[] = [
  { caller: 'spa', audience: 'api', required: true, carried: 'never', perUser: true, source: '' },
  {
    caller: 'web',
    audience: 'https://api.example.com/"v1"',
    required: false,
    carried: 'always',
    perUser: false,
    source: 'mapper "api" in client scope "shared" (default)',
  },
  // Client ids and scope names an attacker can choose: they must stay text in a spreadsheet.
  {
    caller: '=HYPERLINK("x")',
    audience: '@SUM(A1)',
    required: true,
    carried: 'conditional',
    perUser: false,
    source: '+1',
  },
];

describe('the trust map edge list', () => {
  it('as CSV: a header, one quoted row per edge, CRLF line ends', () => {
    const text = formatEdgesCsv({ realm: 'demo', whatIf: false, edges });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    expect(readCsv(text)).toEqual([
      ['realm', 'caller', 'audience', 'required', 'carried', 'perUser', 'source'],
      ['demo', 'spa', 'api', 'true', 'never', 'true', ''],
      [
        'demo',
        'web',
        'https://api.example.com/"v1"',
        'false',
        'always',
        'false',
        'mapper "api" in client scope "shared" (default)',
      ],
      ['demo', `'=HYPERLINK("x")`, `'@SUM(A1)`, 'true', 'conditional', 'false', `'+1`],
    ]);
  });

  it('as JSON: the schema version, the realm, whether it is a what-if, and the edges as they are', () => {
    const parsed = JSON.parse(formatEdgesJson({ realm: 'demo', whatIf: true, edges }));
    expect(parsed).toEqual({ schemaVersion: 1, realm: 'demo', whatIf: true, edges });
    // JSON is not a spreadsheet: names are kept exactly.
    expect(parsed.edges[2].caller).toBe('=HYPERLINK("x")');
  });

  it('an empty map is a header only', () => {
    expect(formatEdgesCsv({ realm: 'demo', whatIf: false, edges: [] })).toBe(
      '"realm","caller","audience","required","carried","perUser","source"\r\n',
    );
  });
});
