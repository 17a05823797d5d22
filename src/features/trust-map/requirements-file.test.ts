import { describe, expect, it } from 'vitest';
import { parseRequirementsFile, REQUIRES_ATTRIBUTE } from '../../audit/requirements.ts';
import { clientRepFixture, realmSnapshotFixture } from '../../audit/test-fixtures.ts';
import { exportRequirements, importRequirements, requirementsFileText } from './requirements-file.ts';

const stating = (clientId: string, value: string) =>
  clientRepFixture(clientId, { attributes: { [REQUIRES_ATTRIBUTE]: value } });

const snapshot = realmSnapshotFixture(
  [
    stating('spa', '["orders-api","billing-api"]'),
    stating('batch', '[]'),
    clientRepFixture('web'),
    stating('junk', 'orders-api'),
    stating('account', '["x"]'),
    clientRepFixture('orders-api', { bearerOnly: true }),
  ],
  '26.7.5',
);
const none = new Map<string, string[] | null>();

describe('exporting requirements', () => {
  it('as stated: every non-built-in client with the attribute, unreadable ones left out with why', () => {
    const exported = exportRequirements(snapshot, 'stated');
    expect(exported.requirements).toEqual({ batch: [], spa: ['orders-api', 'billing-api'] });
    expect(Object.keys(exported.requirements)).toEqual(['batch', 'spa']);
    expect(exported.leftOut).toEqual([
      { clientId: 'junk', why: `its ${REQUIRES_ATTRIBUTE} is no list (it is not JSON)` },
    ]);
  });

  it('effective: every non-built-in client with the list it is judged by', () => {
    expect(exportRequirements(snapshot, 'effective').requirements).toEqual({
      batch: [],
      junk: ['junk'],
      'orders-api': ['orders-api'],
      spa: ['orders-api', 'billing-api'],
      web: ['web'],
    });
  });

  it('with pending edits, as the realm would be once they are written', () => {
    const edits = new Map<string, string[] | null>([
      ['web', ['orders-api']],
      ['spa', null],
    ]);
    expect(exportRequirements(snapshot, 'stated', edits).requirements).toEqual({
      batch: [],
      spa: null,
      web: ['orders-api'],
    });
  });

  it('reads back through the CLI parser as the same lists', () => {
    const { requirements } = exportRequirements(snapshot, 'stated');
    const parsed = parseRequirementsFile(requirementsFileText(requirements));
    expect(parsed.ok && Object.fromEntries(parsed.requirements)).toEqual(requirements);
  });
});

describe('importing a requirements file', () => {
  it('lays its entries over the edits, names unknown clients and what is unchanged', () => {
    const result = importRequirements(
      snapshot,
      new Map([
        ['web', ['x']],
        ['batch', ['y']],
      ]),
      JSON.stringify({ spa: ['orders-api', 'billing-api'], web: ['orders-api'], ghost: ['orders-api'], junk: [] }),
    );
    expect(result).toEqual({
      ok: true,
      edits: new Map([
        ['web', ['orders-api']],
        ['batch', ['y']],
        ['junk', []],
      ]),
      changed: ['web', 'junk'],
      unchanged: ['spa'],
      unknown: ['ghost'],
    });
  });

  it.each([
    ['not JSON', '{ spa: [orders-api] }', /^it is not JSON/],
    ['an array', '["spa"]', /must be a JSON object/],
    ['a bad entry', '{"spa":["a"],"web":"orders-api"}', /the entry for "web" is wrong: it is not a JSON array/],
  ])('changes nothing for %s', (_, text, why) => {
    const result = importRequirements(snapshot, none, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.why).toMatch(why);
  });
});
