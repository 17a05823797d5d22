import { describe, expect, it } from 'vitest';
import { claimPathIsAud, splitClaimPath } from './claim-path.ts';

describe('claim paths', () => {
  it.each([
    ['aud', ['aud']],
    ['aud.', ['aud']],
    ['a.b.c', ['a', 'b', 'c']],
    ['a\\.b', ['a.b']],
    ['\\aud', ['aud']],
    ['a\\ud', ['aud']],
    ['.aud', ['.aud']],
    ['aud..', ['aud', '.']],
    ['', []],
  ])('%s splits into %j', (claim, parts) => {
    expect(splitClaimPath(claim)).toEqual(parts);
  });

  it.each([
    ['aud', true],
    ['aud.', true],
    ['\\aud', true],
    ['a\\ud', true],
    ['aud.x', false],
    ['AUD', false],
    ['audience', false],
    [undefined, false],
  ])('%s resolves to aud: %s', (claim, isAud) => {
    expect(claimPathIsAud(claim)).toBe(isAud);
  });
});
