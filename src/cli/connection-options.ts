import type { Command } from 'commander';

/** A mistake on the command line: one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Env = Record<string, string | undefined>;

export type Credentials =
  | { grant: 'password'; username: string; password: string }
  | { grant: 'client_credentials'; clientId: string; clientSecret: string };

/** Where to sign in, and as whom: the same for every command. */
export interface Connection {
  url: string;
  authRealm: string;
  credentials: Credentials;
}

/** Credentials may come from these instead of the command line, where other users of the machine can read them. */
export const ENV = {
  username: 'AUDIENCE_DOCTOR_USERNAME',
  password: 'AUDIENCE_DOCTOR_PASSWORD',
  clientId: 'AUDIENCE_DOCTOR_CLIENT_ID',
  clientSecret: 'AUDIENCE_DOCTOR_CLIENT_SECRET',
} as const;

/** The options as commander hands them over. */
export interface RawConnection {
  url: string;
  authRealm: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
}

/** Without any user:password@ part, which must not be echoed. */
export const withoutUserInfo = (url: string) => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');

/** --url, --auth-realm and the credentials, declared once for every command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .requiredOption('--url <url>', 'Keycloak base URL, e.g. https://keycloak.example.com (add /auth for old servers)')
    .option('--auth-realm <realm>', 'the realm to sign in to', 'master')
    .option('--client-id <id>', `client credentials grant: client id (env ${ENV.clientId})`)
    .option('--client-secret <secret>', `client credentials grant: client secret (env ${ENV.clientSecret})`)
    .option('--username <username>', `password grant on admin-cli: username (env ${ENV.username})`)
    .option('--password <password>', `password grant on admin-cli: password (env ${ENV.password})`);
}

function credentialsOf(raw: RawConnection, env: Env): Credentials {
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

/** An http(s) base URL without a trailing slash, or undefined when it is none. */
export function normalUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function checkedUrl(value: string): string {
  const url = normalUrl(value);
  if (url === undefined) {
    throw new UsageError(`--url must be an http:// or https:// address, got "${withoutUserInfo(value)}"`);
  }
  const { username, password } = new URL(url);
  if (username || password) {
    throw new UsageError('--url must not carry a user name or password: use --username/--password');
  }
  return url;
}

export function toConnection(raw: RawConnection, env: Env): Connection {
  return { url: checkedUrl(raw.url), authRealm: raw.authRealm, credentials: credentialsOf(raw, env) };
}
