import { describe, expect, it } from 'vitest';
import { parseJavaVersion, pickJava } from './java.ts';

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17, '17.0.15'],
    ['openjdk version "25" 2025-09-16', 25, '25'],
    ['openjdk version "21.0.2+13-LTS"', 21, '21.0.2+13-LTS'],
    ['java version "1.8.0_292"', 8, '1.8.0_292'],
  ])('reads %s', (output, major, version) => {
    expect(parseJavaVersion(output)).toEqual({ major, version });
  });

  it('gives up on output without a version', () => {
    expect(parseJavaVersion('command not found')).toBeUndefined();
  });
});

describe('pickJava', () => {
  it('finds a Java this machine can run Keycloak with', () => {
    const java = pickJava({ PATH: process.env.PATH });
    expect(java.major).toBeGreaterThanOrEqual(17);
    expect(java.javaHome).toMatch(/^\//);
  });

  it('prefers a new enough JAVA_HOME', () => {
    const first = pickJava({ PATH: process.env.PATH });
    expect(pickJava({ PATH: process.env.PATH, JAVA_HOME: first.javaHome }).javaHome).toBe(first.javaHome);
  });
});
