import { describe, expect, it } from 'vitest';
import { clampCell, nextCell, renderedIndices, revealScroll } from './grid-keys.ts';

const size = { rows: 10, columns: 4 };
const none = { ctrl: false };
const ctrl = { ctrl: true };

describe('nextCell', () => {
  const middle = { row: 5, column: 2 };

  it('moves one cell with the arrows', () => {
    expect(nextCell('ArrowUp', none, middle, size, 3)).toEqual({ row: 4, column: 2 });
    expect(nextCell('ArrowDown', none, middle, size, 3)).toEqual({ row: 6, column: 2 });
    expect(nextCell('ArrowLeft', none, middle, size, 3)).toEqual({ row: 5, column: 1 });
    expect(nextCell('ArrowRight', none, middle, size, 3)).toEqual({ row: 5, column: 3 });
  });

  it('stops at the edges instead of wrapping', () => {
    expect(nextCell('ArrowUp', none, { row: 0, column: 2 }, size, 3)).toEqual({ row: 0, column: 2 });
    expect(nextCell('ArrowDown', none, { row: 9, column: 2 }, size, 3)).toEqual({ row: 9, column: 2 });
    expect(nextCell('ArrowLeft', none, { row: 5, column: 0 }, size, 3)).toEqual({ row: 5, column: 0 });
    expect(nextCell('ArrowRight', none, { row: 5, column: 3 }, size, 3)).toEqual({ row: 5, column: 3 });
  });

  it('goes to the row’s first and last cell with Home and End, the map’s with Ctrl', () => {
    expect(nextCell('Home', none, middle, size, 3)).toEqual({ row: 5, column: 0 });
    expect(nextCell('End', none, middle, size, 3)).toEqual({ row: 5, column: 3 });
    expect(nextCell('Home', ctrl, middle, size, 3)).toEqual({ row: 0, column: 0 });
    expect(nextCell('End', ctrl, middle, size, 3)).toEqual({ row: 9, column: 3 });
  });

  it('pages by a screenful of rows, at least one, and stops at the first and last row', () => {
    expect(nextCell('PageDown', none, middle, size, 3)).toEqual({ row: 8, column: 2 });
    expect(nextCell('PageUp', none, middle, size, 3)).toEqual({ row: 2, column: 2 });
    expect(nextCell('PageDown', none, middle, size, 30)).toEqual({ row: 9, column: 2 });
    expect(nextCell('PageUp', none, middle, size, 30)).toEqual({ row: 0, column: 2 });
    expect(nextCell('PageDown', none, middle, size, 0)).toEqual({ row: 6, column: 2 });
    expect(nextCell('PageDown', none, middle, size, 2.7)).toEqual({ row: 7, column: 2 });
  });

  it('leaves other keys, and every key of an empty map, to the browser', () => {
    expect(nextCell('Enter', none, middle, size, 3)).toBeUndefined();
    expect(nextCell(' ', none, middle, size, 3)).toBeUndefined();
    expect(nextCell('Tab', none, middle, size, 3)).toBeUndefined();
    expect(nextCell('a', ctrl, middle, size, 3)).toBeUndefined();
    expect(nextCell('ArrowDown', none, { row: 0, column: 0 }, { rows: 0, columns: 4 }, 3)).toBeUndefined();
    expect(nextCell('End', ctrl, { row: 0, column: 0 }, { rows: 3, columns: 0 }, 3)).toBeUndefined();
  });

  it('moves from the clamped cell when the map shrank under the active one', () => {
    expect(nextCell('ArrowUp', none, { row: 40, column: 9 }, size, 3)).toEqual({ row: 8, column: 3 });
    expect(nextCell('Home', none, { row: 40, column: 9 }, size, 3)).toEqual({ row: 9, column: 0 });
  });
});

describe('clampCell', () => {
  it('keeps a cell that still exists', () => {
    expect(clampCell({ row: 3, column: 1 }, size)).toEqual({ row: 3, column: 1 });
  });

  it('moves to the last row and column a filter left', () => {
    expect(clampCell({ row: 30, column: 1 }, size)).toEqual({ row: 9, column: 1 });
    expect(clampCell({ row: 3, column: 7 }, size)).toEqual({ row: 3, column: 3 });
    expect(clampCell({ row: 30, column: 7 }, { rows: 1, columns: 1 })).toEqual({ row: 0, column: 0 });
  });

  it('never goes below the first cell, also for an empty map', () => {
    expect(clampCell({ row: -2, column: -1 }, size)).toEqual({ row: 0, column: 0 });
    expect(clampCell({ row: 4, column: 2 }, { rows: 0, columns: 0 })).toEqual({ row: 0, column: 0 });
  });
});

describe('revealScroll', () => {
  // Rows of 40 px under an 84 px sticky header in a 500 px viewport: 416 px of rows in view.
  const reveal = (scroll: number, index: number) => revealScroll(scroll, 500, 84, index, 40);

  it('does not move when the item is already in view whole', () => {
    expect(reveal(0, 0)).toBe(0);
    expect(reveal(0, 9)).toBe(0);
    expect(reveal(400, 12)).toBe(400);
  });

  it('brings an item above the view to the top, under the sticky header', () => {
    expect(reveal(400, 5)).toBe(200);
    // Half hidden under the header counts as out of view.
    expect(reveal(210, 5)).toBe(200);
  });

  it('brings an item below the view to the bottom', () => {
    expect(reveal(0, 10)).toBe(440 - 416);
    expect(reveal(0, 100)).toBe(4040 - 416);
  });

  it('shows the start of an item larger than the space left', () => {
    expect(revealScroll(0, 100, 84, 3, 40)).toBe(120);
    expect(revealScroll(500, 100, 84, 3, 40)).toBe(120);
  });
});

describe('renderedIndices', () => {
  it('is the window when the active index is in it', () => {
    expect(renderedIndices({ start: 2, end: 5 }, 3, 10)).toEqual([2, 3, 4]);
  });

  it('adds the active index in order when it was scrolled out of the window', () => {
    expect(renderedIndices({ start: 2, end: 5 }, 0, 10)).toEqual([0, 2, 3, 4]);
    expect(renderedIndices({ start: 2, end: 5 }, 9, 10)).toEqual([2, 3, 4, 9]);
    expect(renderedIndices({ start: 0, end: 0 }, 0, 1)).toEqual([0]);
  });

  it('adds nothing that does not exist', () => {
    expect(renderedIndices({ start: 0, end: 0 }, 0, 0)).toEqual([]);
    expect(renderedIndices({ start: 0, end: 3 }, 7, 3)).toEqual([0, 1, 2]);
  });
});
