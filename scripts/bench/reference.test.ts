import { describe, expect, it } from 'vitest';
import { floorOf } from './reference.ts';

describe('floorOf', () => {
  const sweep = new Map([
    ['100×1', [3000, 3100, 2900]],
    ['100×4', [1400, 1300, 1500]],
    ['500×4', [1600, 1700, 1650]],
    ['100×10', [1000, 1100, 900]],
  ]);

  it('adds the medians that cannot be avoided to the best setting within the cap, as a ratio to the best of all', () => {
    const floor = floorOf(sweep, [
      ['login POST', [200, 250, 150]],
      ['code exchange', [40, 60, 50]],
    ]);
    expect(floor?.best).toEqual({ label: '100×10', ms: 1000 });
    expect(floor?.capped).toEqual({ label: '100×4', ms: 1400 });
    expect(floor?.ms).toBe(1400 + 200 + 50);
    expect(floor?.ratio).toBeCloseTo(1.65);
  });

  it('leaves out a part that was never timed', () => {
    expect(floorOf(sweep, [['login POST', []]])?.ms).toBe(1400);
  });

  it('has no floor when no setting keeps to the cap', () => {
    expect(floorOf(new Map([['100×10', [1000]]]), [])).toBeUndefined();
  });
});
