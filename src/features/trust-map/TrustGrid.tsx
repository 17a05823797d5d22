import { Text, VisuallyHidden } from '@mantine/core';
import { useLayoutEffect, useRef, useState } from 'react';
import { cellOf, sourceText, type TrustAudience, type TrustCaller, type TrustCell } from '../../audit/trust-map.ts';
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

function Cell({ cell, column, onFix }: { cell: TrustCell; column: number; onFix: Props['onFix'] }) {
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
      data-trust-cell=""
      data-look={look}
    >
      {fixable ? (
        // Named by what it shows, then what it does: a name that hides the visible text confuses voice control.
        <button type="button" className="tm-fix" onClick={() => onFix(cell)}>
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

/**
 * Callers × audiences, both axes windowed: only the rows and columns in view (and a few around them) are in
 * the DOM, so thousands of rows and columns scroll as fast as a screenful.
 */
export function TrustGrid({ view, onFix }: Props) {
  const scroller = useRef<HTMLElement>(null);
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  // A guess until measured before the first paint, so the first frame already has cells.
  const [size, setSize] = useState({ width: 1200, height: 600 });
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
  const width = ROW_HEADER_WIDTH + audiences.length * CELL_WIDTH;
  const height = HEADER_HEIGHT + callers.length * ROW_HEIGHT;
  // A filter shrinks the map under a scrolled viewport: clamp before the browser's own scroll event says so.
  const top = Math.min(scroll.top, Math.max(0, height - size.height));
  const left = Math.min(scroll.left, Math.max(0, width - size.width));
  const rows = windowOf(top, size.height - HEADER_HEIGHT, ROW_HEIGHT, callers.length);
  const columns = windowOf(left, size.width - ROW_HEADER_WIDTH, CELL_WIDTH, audiences.length);
  const shownColumns = audiences.slice(columns.start, columns.end);

  return (
    <section
      ref={scroller}
      className="tm-scroll"
      aria-label="Trust map, scrollable"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
      tabIndex={0}
      style={{ height: 'max(320px, calc(100dvh - 330px))' }}
      onScroll={(event) => setScroll({ top: event.currentTarget.scrollTop, left: event.currentTarget.scrollLeft })}
    >
      {/* Table elements laid out as blocks: only what is in view is rendered, each at its own place. */}
      <table
        aria-label="Trust map"
        aria-rowcount={callers.length + 1}
        aria-colcount={audiences.length + 1}
        data-trust-rows={callers.length}
        data-trust-columns={audiences.length}
        className="tm-table"
        style={{ width, height }}
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
            {shownColumns.map((audience, offset) => (
              <ColumnHeader key={audience.audience} audience={audience} column={columns.start + offset} />
            ))}
          </tr>
        </thead>
        <tbody className="tm-body" style={{ width, height: callers.length * ROW_HEIGHT }}>
          {callers.slice(rows.start, rows.end).map((caller, offset) => {
            const index = rows.start + offset;
            return (
              <tr
                key={caller.clientId}
                aria-rowindex={index + 2}
                className="tm-row"
                style={{ top: index * ROW_HEIGHT, width, height: ROW_HEIGHT }}
              >
                <RowHeader caller={caller} />
                {shownColumns.map((audience, column) => (
                  <Cell
                    key={audience.audience}
                    cell={cellOf(caller, audience)}
                    column={columns.start + column}
                    onFix={onFix}
                  />
                ))}
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
