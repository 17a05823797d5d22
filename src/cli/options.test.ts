import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.ts';
import { MAX_CLIENTS_PAGE_SIZE, MAX_READ_CONCURRENCY, MIN_CLIENTS_PAGE_SIZE } from '../keycloak/snapshot.ts';
import { type Env, UsageError, withoutUserInfo } from './connection-options.ts';
import { parseArguments } from './options.ts';

function parse(argv: string[], env: Env = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseArguments(argv, env, { out: (text) => out.push(text), err: (text) => err.push(text) }, '9.9.9');
  return { result, out: out.join(''), err: err.join('') };
}

const BASE = ['audit', '--url', 'https://kc.example.com/', '--realm', 'demo'];
const USER = ['--username', 'ci', '--password', 's3cret-pw'];

const optionsOf = (argv: string[], env: Env = {}) => {
  const { result } = parse(argv, env);
  if (result.kind !== 'audit') throw new Error(`expected an audit, got ${JSON.stringify(result)}`);
  return result.options;
};

const usageError = (argv: string[], env: Env = {}) => {
  try {
    parse(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('parseArguments', () => {
  it('reads an audit of one realm with the defaults', () => {
    expect(optionsOf([...BASE, ...USER])).toEqual({
      url: 'https://kc.example.com',
      realm: 'demo',
      authRealm: 'master',
      credentials: { grant: 'password', username: 'ci', password: 's3cret-pw' },
      format: 'table',
      failOn: 'missing',
      includeBuiltIn: false,
      verifyUser: undefined,
      concurrency: 4,
      pageSize: 100,
    });
  });

  it('reads every option', () => {
    const options = optionsOf([
      'audit',
      '--url',
      'http://localhost:8080/auth',
      '--all-realms',
      '--auth-realm',
      'ops',
      '--client-id',
      'ci-auditor',
      '--client-secret',
      'xyz',
      '--format',
      'sarif',
      '--fail-on',
      'problem',
      '--include-builtin',
      '--verify-user',
      'alice',
      '--concurrency',
      '2',
      '--page-size',
      'adaptive',
    ]);
    expect(options).toEqual({
      url: 'http://localhost:8080/auth',
      realm: undefined,
      authRealm: 'ops',
      credentials: { grant: 'client_credentials', clientId: 'ci-auditor', clientSecret: 'xyz' },
      format: 'sarif',
      failOn: 'problem',
      includeBuiltIn: true,
      verifyUser: 'alice',
      concurrency: 2,
      pageSize: 'adaptive',
    });
  });

  it('reads a fixed --page-size', () => {
    expect(optionsOf([...BASE, ...USER, '--page-size', '500']).pageSize).toBe(500);
  });

  it.each(['0', '17', '2.5', 'many'])('refuses --concurrency %s with the range it takes', (value) => {
    expect(usageError([...BASE, ...USER, '--concurrency', value])).toMatch(
      /--concurrency must be a whole number from 1 to 16/,
    );
  });

  it.each(['1', '1001', '2.5', 'auto', ''])('refuses --page-size %s with what it takes', (value) => {
    expect(usageError([...BASE, ...USER, '--page-size', value])).toMatch(
      /--page-size must be "adaptive" or a whole number from 2 to 1000/,
    );
  });

  // config.json's schema may not import the reader (it is in the first download): its limits are checked here.
  it.each([
    ['readConcurrency', 1, MAX_READ_CONCURRENCY],
    ['clientsPageSize', MIN_CLIENTS_PAGE_SIZE, MAX_CLIENTS_PAGE_SIZE],
  ])('takes in config.json the %s range the CLI takes, %i to %i', (key, min, max) => {
    const config = (value: number) =>
      parseConfig(JSON.stringify({ keycloakUrl: 'https://kc.example.com', realm: 'r', clientId: 'c', [key]: value }));
    expect([min - 1, min, max, max + 1].map((value) => config(value).ok)).toEqual([false, true, true, false]);
  });

  it('takes credentials from the environment, the command line first', () => {
    expect(
      optionsOf(BASE, { AUDIENCE_DOCTOR_CLIENT_ID: 'ci-auditor', AUDIENCE_DOCTOR_CLIENT_SECRET: 'from-env' })
        .credentials,
    ).toEqual({ grant: 'client_credentials', clientId: 'ci-auditor', clientSecret: 'from-env' });
    expect(
      optionsOf([...BASE, '--username', 'cli-user'], {
        AUDIENCE_DOCTOR_USERNAME: 'env-user',
        AUDIENCE_DOCTOR_PASSWORD: 'env-pw',
      }).credentials,
    ).toEqual({ grant: 'password', username: 'cli-user', password: 'env-pw' });
  });

  it.each([
    [['audit', '--url', 'https://kc', ...USER], 'choose what to audit: --realm REALM or --all-realms'],
    [BASE, 'give credentials: --username and --password, or --client-id and --client-secret'],
    [[...BASE, '--username', 'ci'], '--username needs --password (or AUDIENCE_DOCTOR_PASSWORD)'],
    [[...BASE, '--client-id', 'ci'], '--client-id needs --client-secret (or AUDIENCE_DOCTOR_CLIENT_SECRET)'],
    [[...BASE, '--client-secret', 'x'], '--client-secret needs --client-id (or AUDIENCE_DOCTOR_CLIENT_ID)'],
    [[...BASE, ...USER, '--client-id', 'ci', '--client-secret', 'x'], 'give either --client-id/--client-secret'],
    [['audit', '--url', 'kc.example.com', '--realm', 'demo', ...USER], 'got "kc.example.com"'],
    [['audit', '--url', 'ftp://kc', '--realm', 'demo', ...USER], 'must be an http:// or https:// address'],
    [['audit', '--url', 'https://me:pw@kc', '--realm', 'demo', ...USER], 'must not carry a user name or password'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it("leaves commander's own errors written, with exit 2, and never echoes an option's value", () => {
    const unknown = parse([...BASE, ...USER, '--pasword=hunter2']);
    expect(unknown.result).toEqual({ kind: 'exit', code: 2 });
    expect(unknown.err).toBe("error: unknown option '--pasword=…'\n");
    const both = parse([...BASE, '--all-realms', ...USER]);
    expect(both.result).toEqual({ kind: 'exit', code: 2 });
    expect(both.err).toContain("cannot be used with option '--all-realms'");
    const format = parse([...BASE, ...USER, '--format', 'xml']);
    expect(format.err).toContain('Allowed choices are table, json, csv, sarif');
  });

  it('prints help and version to stdout with exit 0', () => {
    const help = parse(['audit', '--help'], { AUDIENCE_DOCTOR_PASSWORD: 'env-secret' });
    expect(help.result).toEqual({ kind: 'exit', code: 0 });
    expect(help.out).toContain('--fail-on <level>');
    expect(help.out).toContain('AUDIENCE_DOCTOR_CLIENT_SECRET');
    expect(help.out).not.toContain('env-secret');
    expect(parse(['--version']).out).toBe('9.9.9\n');
  });

  it('strips user info from a URL before showing it', () => {
    expect(withoutUserInfo('https://me:pw@kc.example.com/x')).toBe('https://kc.example.com/x');
    expect(withoutUserInfo('kc.example.com')).toBe('kc.example.com');
  });
});
