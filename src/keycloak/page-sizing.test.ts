import { describe, expect, it } from 'vitest';
import { adaptivePageSize, fixedPageSize, LARGER_PAGE_KEPT_BELOW } from './page-sizing.ts';

const asked = (sizing: { next(): number }, times: number) => Array.from({ length: times }, () => sizing.next());

describe('fixedPageSize', () => {
  it('asks for the same size every time', () => {
    const sizing = fixedPageSize(100);
    sizing.record(100, 100, 5);
    expect(asked(sizing, 3)).toEqual([100, 100, 100]);
    expect(sizing.chosen).toBe(100);
  });

  it.each([1, 0, 2.5, Number.NaN])('refuses %s', (size) => {
    expect(() => fixedPageSize(size)).toThrow(RangeError);
  });
});

describe('adaptivePageSize', () => {
  it('asks for small pages until one is timed, then for one large page, then small ones until it is timed', () => {
    const sizing = adaptivePageSize(100, 500);
    expect(asked(sizing, 4)).toEqual([100, 100, 100, 100]);
    sizing.record(100, 100, 100);
    expect(asked(sizing, 3)).toEqual([500, 100, 100]);
    expect(sizing.chosen).toBeUndefined();
  });

  it('keeps the larger size when its time per item is below the share of the small pages’ median', () => {
    const sizing = adaptivePageSize(100, 500);
    for (const ms of [100, 120, 400]) sizing.record(100, 100, ms); // median 1.2 ms per item
    sizing.next();
    sizing.record(500, 500, 500 * 1.2 * LARGER_PAGE_KEPT_BELOW - 1);
    expect(sizing.chosen).toBe(500);
    expect(asked(sizing, 2)).toEqual([500, 500]);
  });

  it('keeps the small size when the larger page saves too little or costs more', () => {
    for (const perItem of [1.2 * LARGER_PAGE_KEPT_BELOW + 0.01, 2.4]) {
      const sizing = adaptivePageSize(100, 500);
      for (const ms of [100, 120, 400]) sizing.record(100, 100, ms);
      sizing.next();
      sizing.record(500, 500, 500 * perItem);
      expect(sizing.chosen).toBe(100);
      expect(asked(sizing, 2)).toEqual([100, 100]);
    }
  });

  it('leaves short pages out of the cost, and settles on small pages when the trial comes back short', () => {
    const sizing = adaptivePageSize(100, 500);
    sizing.record(100, 3, 1); // the end of the list: a cost per item of 0.3 ms would mislead
    expect(sizing.next()).toBe(100);
    sizing.record(100, 100, 200);
    expect(sizing.next()).toBe(500);
    sizing.record(500, 40, 10);
    expect(sizing.chosen).toBe(100);
  });

  it('refuses a larger size that is not larger', () => {
    expect(() => adaptivePageSize(100, 100)).toThrow(RangeError);
    expect(() => adaptivePageSize(1, 500)).toThrow(RangeError);
  });
});
