import { describe, expect, it } from 'vitest';
import { parseVersion, ruleApplies, VERSION_RULES } from './version-rules.ts';

describe('version rules', () => {
  it('reads versions with or without a patch and with a suffix', () => {
    expect(parseVersion('26.7.5')).toEqual([26, 7, 5]);
    expect(parseVersion('26.0')).toEqual([26, 0, 0]);
    expect(parseVersion('999.0.0-SNAPSHOT')).toEqual([999, 0, 0]);
    expect(parseVersion('nightly')).toBeUndefined();
    expect(parseVersion(undefined)).toBeUndefined();
  });

  it.each([
    ['26.7.3', false],
    ['26.7.5', true],
    ['26.8.0', true],
    ['27.0.0', true],
    ['26.6.7', false],
    ['26.6.8', true],
    ['26.5.9', false],
    ['24.0.5', false],
  ])('the disabled-or-unknown audience rule on %s: %s', (version, applies) => {
    expect(ruleApplies('inactiveAudienceDropped', version)).toBe(applies);
  });

  it('says nothing for an unknown version', () => {
    expect(ruleApplies('clientPolicyMode', undefined)).toBeUndefined();
  });

  it('every rule names its source and a version that parses', () => {
    for (const rule of Object.values(VERSION_RULES)) {
      expect(rule.source).not.toBe('');
      for (const since of rule.since) expect(parseVersion(since)).toBeDefined();
    }
  });
});
