import type { ClientAudit, ClientKind, ProblemCode, RealmAudit, Verdict } from '../../audit/findings.ts';
import type { RealmSnapshot } from '../../audit/snapshot.ts';

export interface ClientRow {
  audit: ClientAudit;
  defaultScopes: string[];
  optionalScopes: string[];
  /** While the realm is read: what the verdict still waits for (absent when it is final). */
  waitingFor?: string[];
}

export const VERDICTS: Verdict[] = ['missing', 'cannot-judge', 'conditional', 'unpredictable', 'ok', 'not-applicable'];
export const KINDS: ClientKind[] = ['confidential', 'public', 'service-account', 'bearer-only', 'saml'];
export type SortColumn = 'clientId' | 'name' | 'kind' | 'verdict';
export const PAGE_SIZE = 50;

export interface TableState {
  search: string;
  verdicts: Verdict[];
  kinds: ClientKind[];
  showBuiltIn: boolean;
  sort: { column: SortColumn; direction: 'asc' | 'desc' };
  selected: string[];
  /** Every client the filter matches is selected: kept as the filter, so it follows the realm as it changes. */
  allMatching: boolean;
  page: number;
}

const ALL_MATCHING = 'all';

const listParam = <T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] =>
  (params.get(key) ?? '').split(',').filter((value): value is T => (allowed as readonly string[]).includes(value));

/** Filters, sort, selection and page live in the URL, so a view can be shared as a link. */
export function readTableState(params: URLSearchParams): TableState {
  const [column, direction] = (params.get('sort') ?? '').split(':');
  const sortColumn = (['clientId', 'name', 'kind', 'verdict'] as const).find((candidate) => candidate === column);
  const page = Number(params.get('page'));
  return {
    search: params.get('q') ?? '',
    verdicts: listParam(params, 'verdict', VERDICTS),
    kinds: listParam(params, 'kind', KINDS),
    showBuiltIn: params.get('builtin') === '1',
    sort: { column: sortColumn ?? 'verdict', direction: direction === 'desc' ? 'desc' : 'asc' },
    selected: params.get('selected') === ALL_MATCHING ? [] : (params.get('selected') ?? '').split(',').filter(Boolean),
    allMatching: params.get('selected') === ALL_MATCHING,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function writeTableState(params: URLSearchParams, patch: Partial<TableState>): URLSearchParams {
  const next = new URLSearchParams(params);
  const put = (key: string, value: string | undefined) => (value ? next.set(key, value) : next.delete(key));
  if (patch.search !== undefined) put('q', patch.search);
  if (patch.verdicts) put('verdict', patch.verdicts.join(','));
  if (patch.kinds) put('kind', patch.kinds.join(','));
  if (patch.showBuiltIn !== undefined) put('builtin', patch.showBuiltIn ? '1' : undefined);
  if (patch.sort) put('sort', `${patch.sort.column}:${patch.sort.direction}`);
  if (patch.selected) put('selected', patch.selected.join(','));
  if (patch.allMatching) put('selected', ALL_MATCHING);
  if (patch.page !== undefined) put('page', patch.page > 1 ? String(patch.page) : undefined);
  return next;
}

const verdictRank = (verdict: Verdict) => VERDICTS.indexOf(verdict);

// A collator compares many times faster than String.prototype.localeCompare, which builds one per call.
const byText = new Intl.Collator().compare;

// The rows in clientId order, sorted once per set of rows: every column's order is that order regrouped,
// so a sort click or a search on 10,000 rows does no sort of its own.
const inClientIdOrder = new WeakMap<ClientRow[], ClientRow[]>();

function sortedByClientId(rows: ClientRow[]): ClientRow[] {
  let sorted = inClientIdOrder.get(rows);
  if (!sorted) {
    sorted = [...rows].sort((a, b) => byText(a.audit.clientId, b.audit.clientId));
    inClientIdOrder.set(rows, sorted);
  }
  return sorted;
}

/** Groups rows (in clientId order) by a key, the groups in the order given: a stable sort on the key. */
function grouped(rows: ClientRow[], keyOf: (row: ClientRow) => string, keyOrder: (a: string, b: string) => number) {
  const groups = new Map<string, ClientRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.keys()].sort(keyOrder).flatMap((key) => groups.get(key) ?? []);
}

/** Ascending order of a column, ties by clientId; `rows` are in clientId order already. */
function ascending(rows: ClientRow[], column: SortColumn): ClientRow[] {
  switch (column) {
    case 'verdict':
      return grouped(
        rows,
        (row) => row.audit.verdict,
        (a, b) => verdictRank(a as Verdict) - verdictRank(b as Verdict),
      );
    case 'kind':
      return grouped(rows, (row) => row.audit.kind, byText);
    case 'name':
      // Array.prototype.sort is stable: equal names keep their clientId order.
      return rows.sort((a, b) => byText(a.audit.name ?? '', b.audit.name ?? ''));
    default:
      return rows;
  }
}

// A final verdict is kept as the same object while the realm is read (createPartialAuditor), so its row is
// too: the table then sees the rows it shows unchanged and skips the repaint.
const finalRows = new WeakMap<ClientAudit, ClientRow>();

/** One row per audited client, with the scopes the table shows. */
export function clientRows(
  data: { snapshot: RealmSnapshot; audit: RealmAudit; reading?: { waiting: Map<string, string[]> } } | undefined,
): ClientRow[] {
  if (!data) return [];
  const byId = new Map(data.snapshot.clients.map((client) => [client.id, client]));
  const waiting = data.reading?.waiting;
  return data.audit.clients.map((audit) => {
    const waitingFor = waiting?.get(audit.id);
    const known = waitingFor ? undefined : finalRows.get(audit);
    if (known) return known;
    const client = byId.get(audit.id);
    const row: ClientRow = {
      audit,
      defaultScopes: client?.defaultClientScopes ?? [],
      optionalScopes: client?.optionalClientScopes ?? [],
      ...(waitingFor ? { waitingFor } : {}),
    };
    if (!waitingFor) finalRows.set(audit, row);
    return row;
  });
}

/** The clientIds a selection stands for: the named rows, or every row the filter matches. */
export function selectedClientIds(rows: ClientRow[], state: TableState): string[] {
  if (state.allMatching) return visibleRows(rows, state).map((row) => row.audit.clientId);
  const selected = new Set(state.selected);
  return rows.filter((row) => selected.has(row.audit.id)).map((row) => row.audit.clientId);
}

export function visibleRows(rows: ClientRow[], state: TableState): ClientRow[] {
  const search = state.search.trim().toLowerCase();
  const filtered = sortedByClientId(rows).filter(({ audit }) => {
    if (!state.showBuiltIn && audit.builtIn) return false;
    if (state.verdicts.length > 0 && !state.verdicts.includes(audit.verdict)) return false;
    if (state.kinds.length > 0 && !state.kinds.includes(audit.kind)) return false;
    if (!search) return true;
    return audit.clientId.toLowerCase().includes(search) || (audit.name ?? '').toLowerCase().includes(search);
  });
  const ordered = ascending(filtered, state.sort.column);
  // Descending is the ascending order reversed, ties included (clientIds are unique in a realm).
  return state.sort.direction === 'desc' ? ordered.reverse() : ordered;
}

/** Problems that mean "someone tried to fix it, and it does not work". */
const BROKEN_FIX: ProblemCode[] = [
  'token-flag-off',
  'lightweight-flag-missing',
  'uuid-value',
  'empty-value',
  'unknown-client',
  'optional-not-default',
];

export const hasBrokenFix = (audit: ClientAudit) => audit.problems.some((problem) => BROKEN_FIX.includes(problem.code));

export interface Summary {
  total: number;
  byVerdict: Record<Verdict, number>;
  brokenFixes: number;
}

export function summarize(rows: ClientRow[]): Summary {
  const byVerdict = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  let brokenFixes = 0;
  for (const { audit } of rows) {
    byVerdict[audit.verdict] += 1;
    if (hasBrokenFix(audit)) brokenFixes += 1;
  }
  return { total: rows.length, byVerdict, brokenFixes };
}

/** `partial`: the realm is still being read (or its read stopped), so the counts cover what arrived. */
export function summaryLine(summary: Summary, partial = false): string {
  const parts = [partial ? `${summary.total} clients so far (partial)` : `${summary.total} clients`];
  if (summary.byVerdict.missing) parts.push(`${summary.byVerdict.missing} missing`);
  if (summary.byVerdict['cannot-judge']) parts.push(`${summary.byVerdict['cannot-judge']} cannot be judged`);
  if (summary.byVerdict.conditional) parts.push(`${summary.byVerdict.conditional} conditional`);
  if (summary.byVerdict.unpredictable) parts.push(`${summary.byVerdict.unpredictable} unpredictable`);
  if (summary.brokenFixes) parts.push(`${summary.brokenFixes} with a broken fix`);
  return parts.join(' · ');
}
