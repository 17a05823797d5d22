import { Text, VisuallyHidden } from '@mantine/core';
import { type FocusEvent, type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { cellOf, sourceText, type TrustAudience, type TrustCaller, type TrustCell } from '../../audit/trust-map.ts';
import { type CellPosition, clampCell, nextCell, renderedIndices, revealScroll } from './grid-keys.ts';
import { cellName, cellText, lookOf, type MapView, windowOf } from './map-view.ts';

const ROW_HEIGHT = 40;
const CELL_WIDTH = 120;
const ROW_HEADER_WIDTH = 240;
const HEADER_HEIGHT = 84;

interface Props {
  view: MapView;
  /** Opens the fix for a red cell; undefined when fixing is not possible now. */
  onFix: ((cell: TrustCell) => void) | undefined;
}

function RowHeader({ caller }: { caller: TrustCaller }) {
  const marks = [
    caller.perUser ? 'per user' : '',
    caller.waiting ? 'waiting for the read' : '',
    caller.cannotJudge ? 'cannot judge' : '',
  ].filter(Boolean);
  return (
    <th
      scope="row"
      className="tm-rowheader"
      style={{ width: ROW_HEADER_WIDTH, height: ROW_HEIGHT }}
      title={caller.cannotJudge ?? caller.clientId}
    >
      <span className="tm-name">{caller.clientId}</span>
      {marks.length > 0 && <span className="tm-count">{marks.join(' · ')}</span>}
    </th>
  );
}

interface CellProps {
  cell: TrustCell;
  row: number;
  column: number;
  /** The grid's one tab stop: this cell, or its fix button when it has one. */
  active: boolean;
  onFix: Props['onFix'];
}

function Cell({ cell, row, column, active, onFix }: CellProps) {
  const look = lookOf(cell);
  const text = cellText(cell);
  const name = cellName(cell, sourceText(cell.sources));
  const style = { left: ROW_HEADER_WIDTH + column * CELL_WIDTH, width: CELL_WIDTH, height: ROW_HEIGHT };
  const lines = (
    <>
      <span>{text.first}</span>
      <span>{text.second}</span>
    </>
  );
  const fixable = look === 'unmet' && onFix;
  return (
    <td
      className="tm-cell"
      style={style}
      aria-colindex={column + 2}
      aria-label={name}
      title={name}
      tabIndex={active && !fixable ? 0 : -1}
      data-trust-cell=""
      data-row={row}
      data-column={column}
      data-look={look}
    >
      {fixable ? (
        // Named by what it shows, then what it does: a name that hides the visible text confuses voice control.
        <button type="button" className="tm-fix" tabIndex={active ? 0 : -1} onClick={() => onFix(cell)}>
          {lines}
          <VisuallyHidden>
            : fix, put {cell.audience} into the tokens of {cell.caller}
          </VisuallyHidden>
        </button>
      ) : (
        lines
      )}
    </td>
  );
}

function ColumnHeader({ audience, column }: { audience: TrustAudience; column: number }) {
  return (
    <th
      scope="col"
      className="tm-colheader"
      aria-colindex={column + 2}
      style={{ left: ROW_HEADER_WIDTH + column * CELL_WIDTH, width: CELL_WIDTH, height: HEADER_HEIGHT }}
      title={audience.audience}
    >
      <span>{audience.audience}</span>
      <span className="tm-count">
        {audience.requiredBy} req. · {audience.carriedBy} carry
      </span>
    </th>
  );
}

/** The element that takes the focus for a cell: its fix button when it has one, else the cell itself. */
function focusTarget(grid: HTMLElement, { row, column }: CellPosition): HTMLElement | null {
  const cell = grid.querySelector<HTMLElement>(`[data-trust-cell][data-row="${row}"][data-column="${column}"]`);
  return cell?.querySelector<HTMLElement>('button') ?? cell;
}

/**
 * Callers × audiences, both axes windowed: only the rows and columns in view (and a few around them) are in
 * the DOM, so thousands of rows and columns scroll as fast as a screenful. A keyboard grid (WAI-ARIA grid
 * pattern): one tab stop, the active cell, which the arrow keys, Home, End and PageUp/PageDown move.
 */
export function TrustGrid({ view, onFix }: Props) {
  const scroller = useRef<HTMLElement>(null);
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  // A guess until measured before the first paint, so the first frame already has cells.
  const [size, setSize] = useState({ width: 1200, height: 600 });
  const [activeCell, setActiveCell] = useState<CellPosition>({ row: 0, column: 0 });
  // Set by a key that moved the active cell: it takes the focus once rendered.
  const focusAfterRender = useRef(false);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const { callers, audiences } = view;
  const grid = { rows: callers.length, columns: audiences.length };
  const hasCells = grid.rows > 0 && grid.columns > 0;
  // A filter that shrinks the map keeps the tab stop on the nearest cell that is left.
  const active = clampCell(activeCell, grid);
  const width = ROW_HEADER_WIDTH + audiences.length * CELL_WIDTH;
  const height = HEADER_HEIGHT + callers.length * ROW_HEIGHT;
  // A filter shrinks the map under a scrolled viewport: clamp before the browser's own scroll event says so.
  const top = Math.min(scroll.top, Math.max(0, height - size.height));
  const left = Math.min(scroll.left, Math.max(0, width - size.width));
  const rows = windowOf(top, size.height - HEADER_HEIGHT, ROW_HEIGHT, callers.length);
  const columns = windowOf(left, size.width - ROW_HEADER_WIDTH, CELL_WIDTH, audiences.length);
  // The active cell is rendered wherever the mouse scrolled to, so Tab always finds the grid.
  const rowIndices = hasCells ? renderedIndices(rows, active.row, grid.rows) : range(rows);
  const columnIndices = hasCells ? renderedIndices(columns, active.column, grid.columns) : range(columns);

  useLayoutEffect(() => {
    if (!focusAfterRender.current) return;
    focusAfterRender.current = false;
    const element = scroller.current;
    // The region is scrolled already; the browser scrolls the page, if need be, to show the cell.
    if (element) focusTarget(element, active)?.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const element = scroller.current;
    if (!element || event.altKey || event.shiftKey) return;
    const pageRows = (element.clientHeight - HEADER_HEIGHT) / ROW_HEIGHT;
    const next = nextCell(event.key, { ctrl: event.ctrlKey || event.metaKey }, active, grid, pageRows);
    if (!next) return;
    event.preventDefault();
    const reveal = {
      top: revealScroll(element.scrollTop, element.clientHeight, HEADER_HEIGHT, next.row, ROW_HEIGHT),
      left: revealScroll(element.scrollLeft, element.clientWidth, ROW_HEADER_WIDTH, next.column, CELL_WIDTH),
    };
    element.scrollTo(reveal);
    // Rendered at once with the window there, not a frame later after the scroll event.
    setScroll({ top: element.scrollTop, left: element.scrollLeft });
    setActiveCell(next);
    focusAfterRender.current = true;
  };

  // A click (or a screen reader's own focus) on a cell makes it the active one.
  const onFocus = (event: FocusEvent<HTMLTableElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-trust-cell]');
    if (!cell) return;
    const position = { row: Number(cell.dataset.row), column: Number(cell.dataset.column) };
    if (position.row !== active.row || position.column !== active.column) setActiveCell(position);
  };

  return (
    // With cells, the grid's tab stop is inside the region and its keys scroll it, so the region itself is no
    // tab stop (axe: scrollable-region-focusable is met by focusable content). Without cells it still scrolls
    // (column headers only), so then the region itself takes the focus.
    <section
      ref={scroller}
      className="tm-scroll"
      aria-label="Trust map, scrollable"
      tabIndex={hasCells ? undefined : 0}
      style={{
        height: 'max(320px, calc(100dvh - 330px))',
        // The sticky headers cover this much: a cell that takes the focus (Tab, a click) scrolls out from under them.
        scrollPaddingTop: HEADER_HEIGHT,
        scrollPaddingLeft: ROW_HEADER_WIDTH,
      }}
      onScroll={(event) => setScroll({ top: event.currentTarget.scrollTop, left: event.currentTarget.scrollLeft })}
    >
      {/* Table elements laid out as blocks: only what is in view is rendered, each at its own place. */}
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA grid pattern, a table whose cells the keys move through (its td are gridcells)
        role="grid"
        aria-label="Trust map"
        aria-rowcount={callers.length + 1}
        aria-colcount={audiences.length + 1}
        data-trust-rows={callers.length}
        data-trust-columns={audiences.length}
        className="tm-table"
        style={{ width, height }}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        <thead className="tm-header" style={{ width, height: HEADER_HEIGHT }}>
          <tr aria-rowindex={1}>
            <th
              scope="col"
              aria-colindex={1}
              className="tm-corner"
              style={{ width: ROW_HEADER_WIDTH, height: HEADER_HEIGHT }}
            >
              Caller ↓ · audience →
            </th>
            {columnIndices.map((column) => {
              const audience = audiences[column] as TrustAudience;
              return <ColumnHeader key={audience.audience} audience={audience} column={column} />;
            })}
          </tr>
        </thead>
        <tbody className="tm-body" style={{ width, height: callers.length * ROW_HEIGHT }}>
          {rowIndices.map((index) => {
            const caller = callers[index] as TrustCaller;
            return (
              <tr
                key={caller.clientId}
                aria-rowindex={index + 2}
                className="tm-row"
                style={{ top: index * ROW_HEIGHT, width, height: ROW_HEIGHT }}
              >
                <RowHeader caller={caller} />
                {columnIndices.map((column) => {
                  const audience = audiences[column] as TrustAudience;
                  return (
                    <Cell
                      key={audience.audience}
                      cell={cellOf(caller, audience)}
                      row={index}
                      column={column}
                      active={index === active.row && column === active.column}
                      onFix={onFix}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {callers.length === 0 && (
        <Text size="sm" p="md">
          No caller matches.
        </Text>
      )}
    </section>
  );
}

function range({ start, end }: { start: number; end: number }): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, offset) => start + offset);
}
