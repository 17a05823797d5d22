import { describe, expect, it } from 'vitest';
import { launchPlan, parseKeycloakVersion, versionTraits } from './launch.ts';
import { MATRIX_KEYCLOAK_VERSIONS, PINNED_KEYCLOAK_VERSION } from './settings.ts';

const input = (version: string) => ({
  version,
  httpPort: 8180,
  managementPort: 9100,
  adminUsername: 'root',
  adminPassword: 'secret',
  dataDir: '/cache/24.0.5/data',
});

describe('parseKeycloakVersion', () => {
  it.each([
    ['24.0.5', 24, 0],
    ['26.7.5', 26, 7],
    ['26.8', 26, 8],
    ['999.0.0-SNAPSHOT', 999, 0],
  ])('reads %s', (version, major, minor) => {
    expect(parseKeycloakVersion(version)).toEqual({ major, minor });
  });

  it.each(['latest', '26', 'v26.7.5', ''])('refuses "%s"', (version) => {
    expect(() => parseKeycloakVersion(version)).toThrow(/not a Keycloak version/);
  });
});

describe('versionTraits', () => {
  it('refuses versions older than 24', () => {
    expect(() => versionTraits('23.0.7')).toThrow(/older than 24\.0/);
  });

  it('knows every version the harness lists', () => {
    for (const version of [PINNED_KEYCLOAK_VERSION, ...MATRIX_KEYCLOAK_VERSIONS]) {
      expect(() => versionTraits(version)).not.toThrow();
    }
  });
});

describe('launchPlan', () => {
  it('serves health on the main port of 24.x and names no management port', () => {
    const plan = launchPlan(input('24.0.5'));
    expect(plan.healthUrl).toBe('http://127.0.0.1:8180/health/ready');
    expect(plan.managementPort).toBeNull();
    expect(plan.args.some((arg) => arg.startsWith('--http-management-port'))).toBe(false);
    expect(plan.env).toEqual({ KEYCLOAK_ADMIN: 'root', KEYCLOAK_ADMIN_PASSWORD: 'secret' });
  });

  it('uses the management port from 25.0, still with the old admin variables', () => {
    const plan = launchPlan(input('25.0.6'));
    expect(plan.healthUrl).toBe('http://127.0.0.1:9100/health/ready');
    expect(plan.managementPort).toBe(9100);
    expect(plan.args).toContain('--http-management-port=9100');
    expect(plan.env).toEqual({ KEYCLOAK_ADMIN: 'root', KEYCLOAK_ADMIN_PASSWORD: 'secret' });
  });

  it.each(['26.0.8', '26.4.7', '26.7.3', '26.7.5'])('gives %s the bootstrap admin variables', (version) => {
    const plan = launchPlan(input(version));
    expect(plan.env).toEqual({ KC_BOOTSTRAP_ADMIN_USERNAME: 'root', KC_BOOTSTRAP_ADMIN_PASSWORD: 'secret' });
    expect(plan.healthUrl).toBe('http://127.0.0.1:9100/health/ready');
  });

  it('passes the same options every version has, with the data folder in the H2 URL', () => {
    for (const version of ['24.0.5', '26.7.5']) {
      expect(launchPlan(input(version)).args).toEqual(
        expect.arrayContaining([
          'start-dev',
          '--http-host=127.0.0.1',
          '--http-port=8180',
          '--health-enabled=true',
          '--proxy-headers=xforwarded',
          '--db=dev-file',
          '--db-url=jdbc:h2:file:/cache/24.0.5/data/h2/keycloakdb;NON_KEYWORDS=VALUE',
        ]),
      );
    }
  });
});
