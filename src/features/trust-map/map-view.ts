import type { TrustAudience, TrustCaller, TrustCell, TrustMap } from '../../audit/trust-map.ts';

export interface MapFilter {
  /** Text of a caller's clientId: its row. */
  caller: string;
  /** Text of an audience: its column. */
  audience: string;
}

export interface MapView {
  callers: TrustCaller[];
  audiences: TrustAudience[];
}

/** An exact name wins over names that merely contain the text: "api" filters to api, not also to api-gateway. */
function matching<T>(items: T[], name: (item: T) => string, text: string): T[] {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return items;
  const exact = items.filter((item) => name(item).toLowerCase() === wanted);
  return exact.length > 0 ? exact : items.filter((item) => name(item).toLowerCase().includes(wanted));
}

/**
 * The rows and columns the filter leaves. Filtered to some rows only, the columns shrink to the audiences
 * those rows require or carry (a row is readable without scrolling past empty columns); the same the other way.
 */
export function viewOf(map: TrustMap, filter: MapFilter): MapView {
  const byCaller = filter.caller.trim() !== '';
  const byAudience = filter.audience.trim() !== '';
  let callers = matching(map.callers, (caller) => caller.clientId, filter.caller);
  let audiences = matching(map.audiences, (audience) => audience.audience, filter.audience);
  if (byCaller && !byAudience) {
    const used = new Set(callers.flatMap((caller) => [...caller.cells.keys()]));
    audiences = audiences.filter((audience) => used.has(audience.audience));
  } else if (byAudience && !byCaller) {
    const shown = audiences.map((audience) => audience.audience);
    callers = callers.filter((caller) => shown.some((audience) => caller.cells.has(audience)));
  }
  return { callers, audiences };
}

/** The first and one-past-last index of the items a viewport shows, with some to spare on each side. */
export function windowOf(
  scroll: number,
  viewport: number,
  itemSize: number,
  count: number,
  overscan = 3,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scroll / itemSize) - overscan);
  const end = Math.min(count, Math.ceil((Math.max(0, scroll) + Math.max(0, viewport)) / itemSize) + overscan);
  return { start: Math.min(start, end), end };
}

export type CellLook = 'met' | 'conditional' | 'unmet' | 'unasked' | 'unasked-conditional' | 'empty';

export function lookOf(cell: TrustCell): CellLook {
  if (cell.required)
    return cell.carried === 'always' ? 'met' : cell.carried === 'conditional' ? 'conditional' : 'unmet';
  if (cell.carried === 'always') return 'unasked';
  return cell.carried === 'conditional' ? 'unasked-conditional' : 'empty';
}

const CARRIED_TEXT = { always: 'always', conditional: 'sometimes', never: 'never' } as const;
const ICON = { always: '✔', conditional: '◐', never: '✖' } as const;

/** The two short lines a cell shows; an empty cell shows nothing but its per-user mark. */
export function cellText(cell: TrustCell): { first: string; second: string } {
  if (!cell.required && cell.carried === 'never') return { first: '', second: cell.perUser ? 'per user' : '' };
  const icon = cell.required ? ICON[cell.carried] : cell.carried === 'always' ? '●' : '○';
  return {
    first: cell.required ? 'required' : 'not required',
    second: `${icon} ${CARRIED_TEXT[cell.carried]}${cell.perUser ? ' · per user' : ''}`,
  };
}

/**
 * The cell's accessible name: first the words it shows (a name must hold the visible label, WCAG 2.5.3, for
 * voice control), then every fact the colour shows, in words, and where the audience comes from.
 */
export function cellName(cell: TrustCell, sources: string): string {
  const shown = [cell.required ? 'required' : 'not required', CARRIED_TEXT[cell.carried]];
  if (cell.perUser) shown.push('per user');
  const carried =
    cell.carried === 'always'
      ? 'carried for every login'
      : cell.carried === 'conditional'
        ? 'carried only for some logins'
        : 'no mapper adds it';
  const perUser = cell.perUser ? ', may be added per user from their roles' : '';
  const from = sources ? `; from ${sources}` : '';
  return `${cell.caller} → ${cell.audience}: ${shown.join(', ')}; ${carried}${perUser}${from}`;
}
