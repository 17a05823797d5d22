import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MATRIX_KEYCLOAK_VERSIONS, PINNED_KEYCLOAK_VERSION, readSettings, versionDir } from './settings.ts';

const home = mkdtempSync(join(tmpdir(), 'keycloak-home-'));
writeFileSync(join(home, 'version.txt'), 'Keycloak - Version 24.0.5\n');
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('readSettings', () => {
  it('runs the pinned version unless KEYCLOAK_VERSION says otherwise', () => {
    expect(readSettings({}).version).toBe(PINNED_KEYCLOAK_VERSION);
    expect(readSettings({ KEYCLOAK_VERSION: '25.0.6' }).version).toBe('25.0.6');
  });

  it('never lists the pinned version in the matrix', () => {
    expect(MATRIX_KEYCLOAK_VERSIONS).not.toContain(PINNED_KEYCLOAK_VERSION);
  });

  it('takes the version of a KEYCLOAK_HOME from its version.txt, and refuses a contradicting one', () => {
    expect(readSettings({ KEYCLOAK_HOME: home }).version).toBe('24.0.5');
    expect(() => readSettings({ KEYCLOAK_HOME: home, KEYCLOAK_VERSION: '26.7.5' })).toThrow(/holds Keycloak 24\.0\.5/);
  });

  it('gives each version a folder of its own', () => {
    const settings = readSettings({ KEYCLOAK_CACHE_DIR: '/cache' });
    expect(versionDir(settings)).toBe(join('/cache', PINNED_KEYCLOAK_VERSION));
    expect(versionDir(readSettings({ KEYCLOAK_CACHE_DIR: '/cache', KEYCLOAK_VERSION: '24.0.5' }))).toBe(
      '/cache/24.0.5',
    );
  });
});
