import { describe, expect, it } from 'vitest';
import { adminConsoleUrl, parseConfig } from './config.ts';

const valid = { keycloakUrl: 'https://kc.example.com/', realm: 'master', clientId: 'audience-doctor' };

describe('parseConfig', () => {
  it('accepts a valid file and strips the trailing slash of the Keycloak URL', () => {
    const result = parseConfig(JSON.stringify(valid));
    expect(result).toEqual({
      ok: true,
      config: { keycloakUrl: 'https://kc.example.com', realm: 'master', clientId: 'audience-doctor' },
    });
  });

  it('keeps a sub-path such as /auth', () => {
    const result = parseConfig(JSON.stringify({ ...valid, keycloakUrl: 'http://localhost:8080/auth/' }));
    expect(result.ok && result.config.keycloakUrl).toBe('http://localhost:8080/auth');
  });

  it('says when the file is not JSON', () => {
    const result = parseConfig('{ "keycloakUrl": ');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem.summary).toBe('config.json is not valid JSON');
  });

  it('names every invalid or missing field', () => {
    const result = parseConfig(JSON.stringify({ keycloakUrl: 'ftp://kc', realm: ' ' }));
    expect(result.ok).toBe(false);
    const details = result.ok ? [] : result.problem.details;
    expect(details.some((line) => line.startsWith('keycloakUrl:'))).toBe(true);
    expect(details.some((line) => line.startsWith('realm:'))).toBe(true);
    expect(details).toContain('clientId: is missing');
    expect(details.find((line) => line.startsWith('keycloakUrl:'))).toContain('must be an http(s) URL');
    expect(details.find((line) => line.startsWith('realm:'))).toContain('must name the realm');
  });

  it('takes the read concurrency and page size as whole numbers in range, and says which is wrong', () => {
    const good = parseConfig(JSON.stringify({ ...valid, readConcurrency: 2, clientsPageSize: 50 }));
    expect(good.ok && [good.config.readConcurrency, good.config.clientsPageSize]).toEqual([2, 50]);
    const adaptive = parseConfig(JSON.stringify({ ...valid, clientsPageSize: 'adaptive' }));
    expect(adaptive.ok && adaptive.config.clientsPageSize).toBe('adaptive');
    for (const [key, value] of [
      ['readConcurrency', 0],
      ['readConcurrency', 17],
      ['readConcurrency', 2.5],
      ['clientsPageSize', 1],
      ['clientsPageSize', 1001],
      ['clientsPageSize', 2.5],
      ['clientsPageSize', '100'],
      ['clientsPageSize', 'auto'],
    ] as const) {
      const bad = parseConfig(JSON.stringify({ ...valid, [key]: value }));
      expect(bad.ok ? [] : bad.problem.details, `${key} ${value}`).toEqual([
        expect.stringMatching(new RegExp(`^${key}: must be (a whole number|"adaptive" or a whole number)`)),
      ]);
    }
  });

  it('rejects unknown keys, which are usually typos', () => {
    const result = parseConfig(JSON.stringify({ ...valid, keycloakURL: 'https://kc.example.com' }));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem.details.join('\n')).toContain('keycloakURL');
  });

  it('rejects a top-level value that is not an object', () => {
    const result = parseConfig('[]');
    expect(result.ok ? [] : result.problem.details).toEqual(['must be an object']);
  });
});

describe('adminConsoleUrl', () => {
  it('defaults to the admin console of the same server', () => {
    const result = parseConfig(JSON.stringify(valid));
    if (!result.ok) throw new Error('fixture is valid');
    expect(adminConsoleUrl(result.config)).toBe('https://kc.example.com/admin/');
  });
});
