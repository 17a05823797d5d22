import { Command, CommanderError, Option } from 'commander';
import { FAIL_ON, type FailOn } from './exit-code.ts';

export const FORMATS = ['table', 'json', 'csv', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export type Credentials =
  | { grant: 'password'; username: string; password: string }
  | { grant: 'client_credentials'; clientId: string; clientSecret: string };

export interface AuditOptions {
  url: string;
  /** undefined: every realm the caller can read. */
  realm: string | undefined;
  authRealm: string;
  credentials: Credentials;
  format: Format;
  failOn: FailOn;
  includeBuiltIn: boolean;
  verifyUser: string | undefined;
}

/** Credentials may come from these instead of the command line, where other users of the machine can read them. */
export const ENV = {
  username: 'AUDIENCE_DOCTOR_USERNAME',
  password: 'AUDIENCE_DOCTOR_PASSWORD',
  clientId: 'AUDIENCE_DOCTOR_CLIENT_ID',
  clientSecret: 'AUDIENCE_DOCTOR_CLIENT_SECRET',
} as const;

export type Env = Record<string, string | undefined>;

/** A mistake on the command line: one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParseResult = { kind: 'audit'; options: AuditOptions } | { kind: 'exit'; code: number };

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

interface RawOptions {
  url: string;
  realm?: string;
  allRealms?: boolean;
  authRealm: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  format: Format;
  failOn: FailOn;
  includeBuiltin?: boolean;
  verifyUser?: string;
}

/** "--password=…" typed as an unknown option must not be echoed back. */
const hideOptionValues = (text: string) => text.replace(/('--?[^'=\s]+)=[^']*'/g, "$1=…'");

/** Without any user:password@ part, which must not be echoed. */
export const withoutUserInfo = (url: string) => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');

function program(output: Output, version: string, onAudit: (raw: RawOptions) => void): Command {
  const root = new Command('audience-doctor')
    .description("Audits whether every client's access tokens carry its own clientId in aud.")
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text),
      writeErr: (text) => output.err(hideOptionValues(text)),
    });
  root
    .command('audit')
    .description('Audit one realm, or every realm you can read, and report per client.')
    .requiredOption('--url <url>', 'Keycloak base URL, e.g. https://keycloak.example.com (add /auth for old servers)')
    .addOption(new Option('--realm <realm>', 'the realm to audit').conflicts('allRealms'))
    .option('--all-realms', 'audit every realm the signed-in account can read')
    .option('--auth-realm <realm>', 'the realm to sign in to', 'master')
    .option('--client-id <id>', `client credentials grant: client id (env ${ENV.clientId})`)
    .option('--client-secret <secret>', `client credentials grant: client secret (env ${ENV.clientSecret})`)
    .option('--username <username>', `password grant on admin-cli: username (env ${ENV.username})`)
    .option('--password <password>', `password grant on admin-cli: password (env ${ENV.password})`)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .addOption(
      new Option('--fail-on <level>', 'what makes the exit code 1 (see the README)')
        .choices(FAIL_ON)
        .default('missing'),
    )
    .option('--include-builtin', "also report Keycloak's own clients (admin-cli, account, …)")
    .option('--verify-user <username>', 'also compare with an example token Keycloak generates for this user')
    .action((raw: RawOptions) => onAudit(raw));
  return root;
}

function credentialsOf(raw: RawOptions, env: Env): Credentials {
  const pick = (value: string | undefined, name: keyof typeof ENV) => value || env[ENV[name]] || undefined;
  const clientId = pick(raw.clientId, 'clientId');
  const clientSecret = pick(raw.clientSecret, 'clientSecret');
  const username = pick(raw.username, 'username');
  const password = pick(raw.password, 'password');
  const client = clientId !== undefined || clientSecret !== undefined;
  const user = username !== undefined || password !== undefined;
  if (client && user) {
    throw new UsageError('give either --client-id/--client-secret or --username/--password, not both');
  }
  if (client) {
    if (!clientId) throw new UsageError(`--client-secret needs --client-id (or ${ENV.clientId})`);
    if (!clientSecret) throw new UsageError(`--client-id needs --client-secret (or ${ENV.clientSecret})`);
    return { grant: 'client_credentials', clientId, clientSecret };
  }
  if (!username || !password) {
    if (username) throw new UsageError(`--username needs --password (or ${ENV.password})`);
    if (password) throw new UsageError(`--password needs --username (or ${ENV.username})`);
    throw new UsageError(
      'give credentials: --username and --password, or --client-id and --client-secret (or the AUDIENCE_DOCTOR_* environment variables)',
    );
  }
  return { grant: 'password', username, password };
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be an http:// or https:// address, got "${withoutUserInfo(value)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be an http:// or https:// address, got "${withoutUserInfo(value)}"`);
  }
  if (url.username || url.password) {
    throw new UsageError('--url must not carry a user name or password: use --username/--password');
  }
  return url.href.replace(/\/+$/, '');
}

function toAuditOptions(raw: RawOptions, env: Env): AuditOptions {
  if (!raw.realm && !raw.allRealms) throw new UsageError('choose what to audit: --realm REALM or --all-realms');
  return {
    url: checkedUrl(raw.url),
    realm: raw.allRealms ? undefined : raw.realm,
    authRealm: raw.authRealm,
    credentials: credentialsOf(raw, env),
    format: raw.format,
    failOn: raw.failOn,
    includeBuiltIn: raw.includeBuiltin === true,
    verifyUser: raw.verifyUser || undefined,
  };
}

/**
 * Reads the command line. Help and version end the run with 0; commander's own errors (unknown option,
 * bad choice) are already written when this returns 2. Our own checks throw UsageError.
 */
export function parseArguments(argv: string[], env: Env, output: Output, version: string): ParseResult {
  let raw: RawOptions | undefined;
  try {
    program(output, version, (options) => {
      raw = options;
    }).parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const quiet = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
      return { kind: 'exit', code: quiet ? 0 : 2 };
    }
    throw error;
  }
  if (!raw) throw new UsageError('nothing to do: run "audience-doctor audit --help"');
  return { kind: 'audit', options: toAuditOptions(raw, env) };
}
