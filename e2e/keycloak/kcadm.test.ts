import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kcadmGate, kcadmPath, kcadmProblem } from './kcadm.ts';
import { readSettings } from './settings.ts';

const home = mkdtempSync(join(tmpdir(), 'kcadm-home-'));
mkdirSync(join(home, 'bin'));
const kcadm = join(home, 'bin', 'kcadm.sh');
writeFileSync(kcadm, '#!/bin/sh\n', { mode: 0o755 });
const plain = join(home, 'bin', 'kcreg.sh');
writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('kcadmPath', () => {
  it('takes KEYCLOAK_HOME, else the cached distribution of the version', () => {
    expect(kcadmPath(readSettings({ KEYCLOAK_HOME: home }))).toBe(kcadm);
    expect(kcadmPath(readSettings({ KEYCLOAK_CACHE_DIR: '/cache', KEYCLOAK_VERSION: '25.0.6' }))).toBe(
      '/cache/keycloak-25.0.6/bin/kcadm.sh',
    );
  });
});

describe('kcadmProblem', () => {
  it('accepts an executable file and names what is wrong otherwise', () => {
    expect(kcadmProblem(kcadm)).toBeUndefined();
    expect(kcadmProblem(join(home, 'nowhere', 'kcadm.sh'))).toBe(`${join(home, 'nowhere', 'kcadm.sh')} is missing`);
    expect(kcadmProblem(join(home, 'bin'))).toBe(`${join(home, 'bin')} is not a file`);
    // root may read any file, but runs only those with an execute bit.
    chmodSync(plain, 0o644);
    expect(kcadmProblem(plain)).toBe(`${plain} is not executable`);
  });
});

describe('kcadmGate', () => {
  const missing = join(home, 'nowhere', 'kcadm.sh');

  it('runs with a usable kcadm.sh, in CI or not', () => {
    expect(kcadmGate(kcadm, {})).toEqual({ kind: 'run' });
    expect(kcadmGate(kcadm, { CI: 'true' })).toEqual({ kind: 'run' });
  });

  it('skips without one outside CI, saying what is missing', () => {
    const gate = kcadmGate(missing, {});
    expect(gate.kind).toBe('skip');
    expect(gate).toHaveProperty('reason', expect.stringContaining(`${missing} is missing`));
    // An empty CI, as in "CI= npx playwright test", is no CI, as for Playwright.
    expect(kcadmGate(missing, { CI: '' }).kind).toBe('skip');
  });

  it('fails without one in CI, saying what is missing', () => {
    const gate = kcadmGate(missing, { CI: '1' });
    expect(gate.kind).toBe('fail');
    expect(gate).toHaveProperty('reason', expect.stringMatching(/^CI must run the kcadm\.sh script/));
    expect(gate).toHaveProperty('reason', expect.stringContaining(`${missing} is missing`));
    expect(kcadmGate(plain, { CI: 'true' })).toHaveProperty('reason', expect.stringContaining('is not executable'));
  });
});
