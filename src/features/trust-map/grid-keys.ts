/** Where the keyboard is in the trust map: indices of the shown callers (rows) and audiences (columns). */
export interface CellPosition {
  row: number;
  column: number;
}

export interface GridSize {
  rows: number;
  columns: number;
}

/** The modifiers that change what a key does in the grid. */
export interface KeyModifiers {
  ctrl: boolean;
}

/** The same cell, or the nearest one that still exists after a filter shrank the map; 0, 0 for an empty map. */
export function clampCell(cell: CellPosition, size: GridSize): CellPosition {
  const clamp = (index: number, count: number) => Math.max(0, Math.min(index, count - 1));
  return { row: clamp(cell.row, size.rows), column: clamp(cell.column, size.columns) };
}

/**
 * The cell a key moves to, as in the WAI-ARIA grid pattern: arrows one cell, Home and End the row's first and
 * last cell, with Ctrl the map's first and last cell, PageUp and PageDown a screenful of rows. Undefined for
 * any other key, and for an empty map, so the key keeps its default action.
 */
export function nextCell(
  key: string,
  modifiers: KeyModifiers,
  cell: CellPosition,
  size: GridSize,
  pageRows: number,
): CellPosition | undefined {
  if (size.rows === 0 || size.columns === 0) return undefined;
  const { row, column } = clampCell(cell, size);
  const page = Math.max(1, Math.floor(pageRows));
  const lastRow = size.rows - 1;
  const lastColumn = size.columns - 1;
  const at = (to: CellPosition) => clampCell(to, size);
  switch (key) {
    case 'ArrowUp':
      return at({ row: row - 1, column });
    case 'ArrowDown':
      return at({ row: row + 1, column });
    case 'ArrowLeft':
      return at({ row, column: column - 1 });
    case 'ArrowRight':
      return at({ row, column: column + 1 });
    case 'Home':
      return modifiers.ctrl ? { row: 0, column: 0 } : { row, column: 0 };
    case 'End':
      return modifiers.ctrl ? { row: lastRow, column: lastColumn } : { row, column: lastColumn };
    case 'PageUp':
      return at({ row: row - page, column });
    case 'PageDown':
      return at({ row: row + page, column });
    default:
      return undefined;
  }
}

/**
 * The scroll offset along one axis that shows item `index` whole, moving as little as possible: `sticky` is
 * what a sticky header covers at the start of the viewport (the column headers, the row headers).
 */
export function revealScroll(
  scroll: number,
  viewport: number,
  sticky: number,
  index: number,
  itemSize: number,
): number {
  const start = index * itemSize;
  const span = Math.max(itemSize, viewport - sticky);
  if (start < scroll) return start;
  if (start + itemSize > scroll + span) return start + itemSize - span;
  return scroll;
}

/**
 * The indices to render along one axis: the window in view, plus the active one wherever it is, so the
 * grid's only tab stop stays in the DOM when the region is scrolled away from it. In order, for reading order.
 */
export function renderedIndices(inView: { start: number; end: number }, active: number, count: number): number[] {
  const indices: number[] = [];
  for (let index = inView.start; index < inView.end; index++) indices.push(index);
  if (active >= 0 && active < count && (active < inView.start || active >= inView.end)) {
    indices.splice(active < inView.start ? 0 : indices.length, 0, active);
  }
  return indices;
}
