import { describe, expect, it } from 'vitest';
import { audienceName, MAX_NAME_LENGTH, numberedName, scopeNameProblem, shortHash, validScopeName } from './names.ts';

describe('shortHash', () => {
  it('is 32-bit FNV-1a in eight hex digits', () => {
    expect(shortHash('')).toBe('811c9dc5');
    expect(shortHash('a')).toBe('e40c292c');
    expect(shortHash('foobar')).toBe('bf9cf968');
  });

  it('is stable and tells close inputs apart', () => {
    expect(shortHash('my scope')).toBe(shortHash('my scope'));
    expect(shortHash('ab')).not.toBe(shortHash('ba'));
    expect(shortHash('a b')).not.toBe(shortHash('a"b'));
    for (const text of ['', 'x', 'x'.repeat(1000), 'größe', '🙂']) expect(shortHash(text)).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('scopeNameProblem', () => {
  it.each([['app-audience'], ['a.b:c_d/e@f#g'], ['!'], ['~'], ['x'.repeat(MAX_NAME_LENGTH)]])('accepts %s', (name) => {
    expect(scopeNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'A client scope needs a name.'],
    ['x'.repeat(241), 'At most 240 characters (this one has 241).'],
    ['my scope', '"space" is not allowed: use letters, digits and - _ . : etc.'],
    ['say"hi', '""" is not allowed: use letters, digits and - _ . : etc.'],
    ['back\\slash', '"\\" is not allowed: use letters, digits and - _ . : etc.'],
    ['größe', '"ö" is not allowed: use letters, digits and - _ . : etc.'],
    ['tab\there', '"\t" is not allowed: use letters, digits and - _ . : etc.'],
    ['del\x7f', '"\x7f" is not allowed: use letters, digits and - _ . : etc.'],
    ['smile🙂', '"🙂" is not allowed: use letters, digits and - _ . : etc.'],
  ])('refuses %j', (name, problem) => {
    expect(scopeNameProblem(name)).toBe(problem);
  });
});

describe('validScopeName', () => {
  it('keeps a valid name as it is', () => {
    expect(validScopeName('app-audience')).toBe('app-audience');
    const longest = 'x'.repeat(MAX_NAME_LENGTH);
    expect(validScopeName(longest)).toBe(longest);
  });

  it.each([
    ['my scope', 'my-scope-acf0f817'],
    ['say "hi"', `say--hi--${shortHash('say "hi"')}`],
    ['back\\slash', `back-slash-${shortHash('back\\slash')}`],
    ['größe', 'gr--e-26030442'],
    ['smile🙂', `smile--${shortHash('smile🙂')}`],
    ['', 'audience-811c9dc5'],
  ])('replaces the characters Keycloak refuses in %j and adds a hash of the wish', (wanted, expected) => {
    expect(validScopeName(wanted)).toBe(expected);
    expect(scopeNameProblem(expected)).toBeUndefined();
  });

  it('shortens a long name to the limit, ending in the hash', () => {
    const wanted = 'x'.repeat(300);
    const name = validScopeName(wanted);
    expect(name).toBe(`${'x'.repeat(231)}-${shortHash(wanted)}`);
    expect(name).toHaveLength(MAX_NAME_LENGTH);
    expect(scopeNameProblem(name)).toBeUndefined();
    const justOver = 'y'.repeat(MAX_NAME_LENGTH + 1);
    expect(validScopeName(justOver)).toBe(`${'y'.repeat(231)}-${shortHash(justOver)}`);
  });

  it('never gives two different wishes the same name', () => {
    const wishes = [
      'a b',
      'a"b',
      'a\\b',
      'a-b',
      'aéb',
      'a🙂b',
      `${'z'.repeat(300)}1`,
      `${'z'.repeat(300)}2`,
      `${'z'.repeat(240)} `,
      'z'.repeat(241),
    ];
    const names = wishes.map(validScopeName);
    expect(new Set(names).size).toBe(wishes.length);
    for (const name of names) {
      expect(scopeNameProblem(name)).toBeUndefined();
      expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    }
  });

  it('gives the same name for the same wish every time', () => {
    expect(validScopeName('my scope')).toBe(validScopeName('my scope'));
  });
});

describe('numberedName', () => {
  it('appends the number', () => {
    expect(numberedName('app-audience', 2)).toBe('app-audience-2');
    expect(numberedName('app-audience', 12)).toBe('app-audience-12');
  });

  it('stays within the limit by shortening the base', () => {
    const longest = 'x'.repeat(MAX_NAME_LENGTH);
    expect(numberedName(longest, 2)).toBe(`${'x'.repeat(238)}-2`);
    expect(numberedName(longest, 10)).toBe(`${'x'.repeat(237)}-10`);
    expect(numberedName(longest, 10)).toHaveLength(MAX_NAME_LENGTH);
  });
});

describe('audienceName', () => {
  it('is "<clientId>-audience", made valid when needed', () => {
    expect(audienceName('app')).toBe('app-audience');
    expect(audienceName('my app')).toBe(`my-app-audience-${shortHash('my app-audience')}`);
    expect(audienceName('x'.repeat(300))).toHaveLength(MAX_NAME_LENGTH);
  });
});
