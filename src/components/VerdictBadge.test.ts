import { describe, expect, it } from 'vitest';
import { filledBadgeColors } from './VerdictBadge.tsx';

describe('filledBadgeColors', () => {
  it("gives Mantine's autoContrast choice: black on light shades, white on dark ones", () => {
    expect(filledBadgeColors('green.3')).toEqual({
      '--badge-bg': 'var(--mantine-color-green-3)',
      '--badge-color': 'var(--mantine-color-black)',
    });
    expect(filledBadgeColors('yellow.4')['--badge-color' as never]).toBe('var(--mantine-color-black)');
    expect(filledBadgeColors('red.8')).toEqual({
      '--badge-bg': 'var(--mantine-color-red-8)',
      '--badge-color': 'var(--mantine-color-white)',
    });
    expect(filledBadgeColors('blue.8')['--badge-color' as never]).toBe('var(--mantine-color-white)');
  });
});
