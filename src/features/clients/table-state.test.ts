import { describe, expect, it } from 'vitest';
import type { ClientAudit } from '../../audit/findings.ts';
import { clientAuditFixture } from '../../audit/test-fixtures.ts';
import {
  type ClientRow,
  readTableState,
  selectedClientIds,
  summarize,
  summaryLine,
  visibleRows,
  writeTableState,
} from './table-state.ts';

function row(clientId: string, partial: Partial<ClientAudit> = {}): ClientRow {
  return { audit: clientAuditFixture(clientId, partial), defaultScopes: [], optionalScopes: [] };
}

const rows = [
  row('orders-web'),
  row('billing-app', { verdict: 'ok', name: 'Billing' }),
  row('shop-spa', { kind: 'public' }),
  row('account', { builtIn: true, verdict: 'ok' }),
  row('payroll-app', { problems: [{ code: 'token-flag-off', message: '' }] }),
  row('catalog-api', { verdict: 'not-applicable' }),
];

describe('table state in the URL', () => {
  it('round-trips through search params', () => {
    const params = writeTableState(new URLSearchParams(), {
      search: 'app',
      verdicts: ['missing', 'ok'],
      kinds: ['public'],
      showBuiltIn: true,
      sort: { column: 'clientId', direction: 'desc' },
      selected: ['a', 'b'],
      page: 3,
    });
    expect(readTableState(params)).toEqual({
      search: 'app',
      verdicts: ['missing', 'ok'],
      kinds: ['public'],
      showBuiltIn: true,
      sort: { column: 'clientId', direction: 'desc' },
      selected: ['a', 'b'],
      allMatching: false,
      page: 3,
    });
  });

  it('keeps "all matching" as the filter, and a pick by pick selection replaces it', () => {
    const all = writeTableState(new URLSearchParams('q=web'), { allMatching: true });
    expect(all.get('selected')).toBe('all');
    expect(readTableState(all)).toMatchObject({ search: 'web', allMatching: true, selected: [] });
    expect(readTableState(writeTableState(all, { selected: ['a'] }))).toMatchObject({
      allMatching: false,
      selected: ['a'],
    });
  });

  it('the clients a selection stands for: every matching row for "all matching", else the picked rows', () => {
    const picked = ['orders-web', 'shop-web', 'worker'].map((clientId) => row(clientId, { id: `${clientId}-id` }));
    const state = readTableState(new URLSearchParams('q=web&selected=all'));
    expect(selectedClientIds(picked, state)).toEqual(['orders-web', 'shop-web']);
    expect(selectedClientIds(picked, { ...state, allMatching: false, selected: ['worker-id'] })).toEqual(['worker']);
  });

  it('ignores unknown values and defaults sensibly', () => {
    const state = readTableState(new URLSearchParams('verdict=bogus,ok&sort=evil:up&page=-2'));
    expect(state.verdicts).toEqual(['ok']);
    expect(state.sort).toEqual({ column: 'verdict', direction: 'asc' });
    expect(state.page).toBe(1);
    expect(state.showBuiltIn).toBe(false);
  });

  it('drops empty values from the URL', () => {
    const params = writeTableState(new URLSearchParams('q=x&page=2'), { search: '', page: 1 });
    expect(params.toString()).toBe('');
  });
});

describe('visibleRows', () => {
  const base = readTableState(new URLSearchParams());

  it('hides built-in clients unless asked, and sorts the worst first', () => {
    expect(visibleRows(rows, base).map((r) => r.audit.clientId)).toEqual([
      'orders-web',
      'payroll-app',
      'shop-spa',
      'billing-app',
      'catalog-api',
    ]);
    expect(visibleRows(rows, { ...base, showBuiltIn: true })).toHaveLength(6);
  });

  it('orders every column as a comparison sort would, ties by clientId, descending reversing both', () => {
    const verdicts = ['missing', 'cannot-judge', 'conditional', 'unpredictable', 'ok', 'not-applicable'] as const;
    const kinds = ['confidential', 'public', 'service-account', 'bearer-only', 'saml'] as const;
    // Given out of clientId order, with repeated names and kinds, so that ties decide much of the order.
    const many = Array.from({ length: 120 }, (_, index) => {
      const n = (index * 37) % 120;
      return row(`client-${String(n).padStart(3, '0')}`, {
        verdict: verdicts[n % verdicts.length],
        kind: kinds[(n * 7) % kinds.length],
        name: n % 4 === 0 ? undefined : `Name ${n % 9}`,
      });
    });
    const collator = new Intl.Collator();
    const keyOf: Record<string, (r: ClientRow) => string | number> = {
      clientId: () => 0,
      verdict: (r) => verdicts.indexOf(r.audit.verdict as (typeof verdicts)[number]),
      kind: (r) => r.audit.kind,
      name: (r) => r.audit.name ?? '',
    };
    for (const column of ['clientId', 'verdict', 'kind', 'name'] as const) {
      const key = keyOf[column] as (r: ClientRow) => string | number;
      const expected = [...many]
        .sort((a, b) => {
          const [ka, kb] = [key(a), key(b)];
          const primary = typeof ka === 'number' ? ka - (kb as number) : collator.compare(ka, kb as string);
          return primary || collator.compare(a.audit.clientId, b.audit.clientId);
        })
        .map((r) => r.audit.clientId);
      const asc = visibleRows(many, { ...base, sort: { column, direction: 'asc' } }).map((r) => r.audit.clientId);
      const desc = visibleRows(many, { ...base, sort: { column, direction: 'desc' } }).map((r) => r.audit.clientId);
      expect(asc, column).toEqual(expected);
      expect(desc, column).toEqual([...expected].reverse());
    }
  });

  it('filters by verdict, kind and text in clientId or name', () => {
    expect(visibleRows(rows, { ...base, verdicts: ['ok'] }).map((r) => r.audit.clientId)).toEqual(['billing-app']);
    expect(visibleRows(rows, { ...base, kinds: ['public'] }).map((r) => r.audit.clientId)).toEqual(['shop-spa']);
    expect(visibleRows(rows, { ...base, search: 'BILL' }).map((r) => r.audit.clientId)).toEqual(['billing-app']);
    expect(visibleRows(rows, { ...base, search: 'nothing like it' })).toEqual([]);
  });

  it('sorts by clientId both ways', () => {
    const ids = visibleRows(rows, { ...base, sort: { column: 'clientId', direction: 'desc' } }).map(
      (r) => r.audit.clientId,
    );
    expect(ids).toEqual(['shop-spa', 'payroll-app', 'orders-web', 'catalog-api', 'billing-app']);
  });
});

describe('summary', () => {
  it('counts verdicts and broken fixes', () => {
    expect(summaryLine(summarize(rows))).toBe('6 clients · 3 missing · 1 with a broken fix');
  });

  it('counts clients that cannot be judged, next to the missing ones', () => {
    const unseen = [
      ...rows,
      row('hidden-scopes', { verdict: 'cannot-judge' }),
      row('more-hidden', { verdict: 'cannot-judge' }),
    ];
    const summary = summarize(unseen);
    expect(summary.byVerdict['cannot-judge']).toBe(2);
    expect(summaryLine(summary)).toBe('8 clients · 3 missing · 2 cannot be judged · 1 with a broken fix');
  });
});

describe('cannot-judge in the table', () => {
  const unseen = [...rows, row('hidden-scopes', { verdict: 'cannot-judge' })];
  const base = readTableState(new URLSearchParams());

  it('is a verdict filter that survives the URL', () => {
    const state = readTableState(writeTableState(new URLSearchParams(), { verdicts: ['cannot-judge'] }));
    expect(state.verdicts).toEqual(['cannot-judge']);
    expect(visibleRows(unseen, state).map((r) => r.audit.clientId)).toEqual(['hidden-scopes']);
  });

  it('sorts right after the missing clients', () => {
    expect(visibleRows(unseen, base).map((r) => r.audit.verdict)).toEqual([
      'missing',
      'missing',
      'missing',
      'cannot-judge',
      'ok',
      'not-applicable',
    ]);
  });
});
