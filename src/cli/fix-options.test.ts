import { describe, expect, it } from 'vitest';
import { type Env, UsageError } from './connection-options.ts';
import { defaultJournalFile } from './fix-options.ts';
import { parseArguments } from './options.ts';

const CONNECTION = ['--url', 'https://kc.example.com/', '--username', 'ci', '--password', 's3cret-pw'];
const PLAN = ['fix', ...CONNECTION, '--realm', 'shop', '--plan', 'fix.json'];

function parse(argv: string[], env: Env = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseArguments(argv, env, { out: (text) => out.push(text), err: (text) => err.push(text) }, '9.9.9');
  return { result, out: out.join(''), err: err.join('') };
}

const fixOf = (argv: string[], env: Env = {}) => {
  const { result } = parse(argv, env);
  if (result.kind !== 'fix') throw new Error(`expected a fix, got ${JSON.stringify(result)}`);
  return result.options;
};

const usageError = (argv: string[]) => {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

const connection = {
  url: 'https://kc.example.com',
  authRealm: 'master',
  credentials: { grant: 'password', username: 'ci', password: 's3cret-pw' },
};

describe('fix options', () => {
  it('read a plan for named clients, with the defaults', () => {
    expect(
      fixOf([...PLAN, '--client', 'orders-web', 'shop-spa', '--client', 'orders-web', '--strategy', 'client-scope']),
    ).toEqual({
      mode: 'plan',
      connection,
      realm: 'shop',
      clientIds: ['orders-web', 'shop-spa'],
      strategy: 'client-scope',
      scopeName: undefined,
      sharedScopeName: undefined,
      audience: undefined,
      acceptCrossTrust: false,
      requirementsFile: undefined,
      replaceUnreadable: false,
      acceptUnknownAudiences: false,
      planFile: 'fix.json',
      format: 'human',
    });
  });

  it('read every plan option', () => {
    expect(
      fixOf([
        ...PLAN,
        '--all-missing',
        '--strategy',
        'shared-scope',
        '--shared-scope-name',
        'shop-apis',
        '--accept-cross-trust',
        '--format',
        'kcadm',
      ]),
    ).toMatchObject({
      clientIds: undefined,
      strategy: 'shared-scope',
      sharedScopeName: 'shop-apis',
      acceptCrossTrust: true,
      format: 'kcadm',
    });
    expect(
      fixOf([
        ...PLAN,
        '--client',
        'shop-web',
        '--strategy',
        'cross-client',
        '--audience',
        'orders-api',
        '--scope-name',
        'orders-api-aud',
      ]),
    ).toMatchObject({ clientIds: ['shop-web'], audience: 'orders-api', scopeName: 'orders-api-aud' });
    expect(
      fixOf([
        ...PLAN,
        '--client',
        'shop-web',
        '--strategy',
        'cross-client',
        '--custom-audience',
        'https://orders.example.com',
      ]),
    ).toMatchObject({ clientIds: ['shop-web'], audience: undefined, customAudience: 'https://orders.example.com' });
    expect(fixOf([...PLAN, '--client', 'a', '--strategy', 'client-scope', '--scope-name', 'a-aud'])).toMatchObject({
      scopeName: 'a-aud',
    });
  });

  it('read an apply, the journal next to the plan unless named', () => {
    expect(fixOf(['fix', ...CONNECTION, '--apply', 'out/fix.plan.json'])).toEqual({
      mode: 'apply',
      connection,
      planFile: 'out/fix.plan.json',
      journalFile: 'out/fix.plan.journal.json',
      concurrency: 4,
      realm: undefined,
    });
    expect(
      fixOf([
        'fix',
        ...CONNECTION,
        '--apply',
        'p.json',
        '--journal',
        'j.json',
        '--concurrency',
        '1',
        '--realm',
        'shop',
      ]),
    ).toMatchObject({ journalFile: 'j.json', concurrency: 1, realm: 'shop' });
    expect(defaultJournalFile('plan')).toBe('plan.journal.json');
  });

  it('read an undo', () => {
    expect(fixOf(['fix', ...CONNECTION, '--undo', 'run.json', '--yes'])).toEqual({
      mode: 'undo',
      connection,
      journalFile: 'run.json',
      yes: true,
      realm: undefined,
    });
    expect(fixOf(['fix', ...CONNECTION, '--undo', 'run.json'])).toMatchObject({ yes: false });
  });

  it('take the credentials from the environment, as audit does', () => {
    const options = fixOf(['fix', '--url', 'https://kc.example.com', '--undo', 'run.json'], {
      AUDIENCE_DOCTOR_CLIENT_ID: 'ci-fixer',
      AUDIENCE_DOCTOR_CLIENT_SECRET: 'from-env',
    });
    expect(options.connection.credentials).toEqual({
      grant: 'client_credentials',
      clientId: 'ci-fixer',
      clientSecret: 'from-env',
    });
  });

  it.each([
    [['fix', ...CONNECTION], 'choose: --plan FILE (plan), --apply FILE (apply a plan) or --undo JOURNAL'],
    [['fix', ...CONNECTION, '--plan', 'a', '--apply', 'b'], 'choose one: --plan FILE'],
    [['fix', ...CONNECTION, '--apply', 'a', '--format', 'rest'], '--format goes with --plan, not with --apply'],
    [['fix', ...CONNECTION, '--undo', 'a', '--concurrency', '2'], '--concurrency goes with --apply, not with --undo'],
    [['fix', ...CONNECTION, '--apply', 'a', '--yes'], '--yes goes with --undo, not with --apply'],
    [['fix', ...CONNECTION, '--apply', 'a', '--client', 'x'], '--client goes with --plan, not with --apply'],
    [['fix', ...CONNECTION, '--apply', 'a.json', '--journal', 'a.json'], '--journal must be another file'],
    [['fix', ...CONNECTION, '--apply', 'a', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 32'],
    [['fix', ...CONNECTION, '--apply', 'a', '--concurrency', '2.5'], 'got "2.5"'],
    [['fix', ...CONNECTION, '--plan', 'p', '--client', 'a', '--strategy', 'repair'], '--plan needs --realm REALM'],
    [[...PLAN, '--client', 'a'], '--plan needs --strategy (dedicated-mapper, client-scope, shared-scope'],
    [[...PLAN, '--strategy', 'repair'], 'choose the clients: --client ID… or --all-missing'],
    [[...PLAN, '--strategy', 'repair', '--client', 'a', '--all-missing'], 'give either --client or --all-missing'],
    [[...PLAN, '--strategy', 'cross-client', '--client', 'a'], '--strategy cross-client needs --audience CLIENT_ID'],
    [[...PLAN, '--strategy', 'cross-client', '--all-missing', '--audience', 'api'], 'needs --client ID… (the callers)'],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', '--audience', 'api'],
      '--audience goes with --strategy cross-client',
    ],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', '--custom-audience', 'https://x'],
      '--custom-audience goes with --strategy cross-client',
    ],
    [
      [...PLAN, '--strategy', 'cross-client', '--client', 'a', '--audience', 'api', '--custom-audience', 'https://x'],
      'give either --audience CLIENT_ID or --custom-audience VALUE, not both',
    ],
    [
      [...PLAN, '--strategy', 'cross-client', '--client', 'a', '--custom-audience', ' '],
      '--custom-audience needs a value',
    ],
    [
      [...PLAN, '--strategy', 'cross-client', '--client', 'a', '--custom-audience', 'https://x '],
      '--custom-audience "https://x ": starts or ends with white space',
    ],
    [
      ['fix', ...CONNECTION, '--apply', 'a', '--custom-audience', 'https://x'],
      '--custom-audience goes with --plan, not with --apply',
    ],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', '--shared-scope-name', 'x'],
      'goes with --strategy shared-scope',
    ],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', '--accept-cross-trust'],
      '--accept-cross-trust goes with',
    ],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', 'b', '--scope-name', 'x'],
      '--scope-name names one new scope',
    ],
    [
      [...PLAN, '--strategy', 'dedicated-mapper', '--client', 'a', '--scope-name', 'x'],
      '--scope-name names one new scope',
    ],
    [
      [...PLAN, '--strategy', 'client-scope', '--client', 'a', '--scope-name', 'my scope'],
      '--scope-name "my scope": "space" is not allowed',
    ],
    [['fix', '--url', 'https://kc', '--undo', 'j.json'], 'give credentials'],
  ])('refuse %j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it("leave commander's own errors written, with exit 2", () => {
    const strategy = parse([...PLAN, '--client', 'a', '--strategy', 'magic']);
    expect(strategy.result).toEqual({ kind: 'exit', code: 2 });
    expect(strategy.err).toContain(
      'Allowed choices are dedicated-mapper, client-scope, shared-scope, repair, cross-client',
    );
    const format = parse([...PLAN, '--format', 'yaml']);
    expect(format.err).toContain('Allowed choices are human, rest, kcadm');
  });

  it('print their help to stdout with exit 0', () => {
    const help = parse(['fix', '--help']);
    expect(help.result).toEqual({ kind: 'exit', code: 0 });
    for (const option of ['--plan <file>', '--apply <file>', '--undo <journal>', '--accept-cross-trust', '--yes']) {
      expect(help.out).toContain(option);
    }
  });
});
