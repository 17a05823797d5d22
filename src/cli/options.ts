import { Command, CommanderError, Option } from 'commander';
import {
  CLIENTS_PAGE_SIZE,
  type ClientsPageSize,
  DEFAULT_READ_CONCURRENCY,
  MAX_CLIENTS_PAGE_SIZE,
  MAX_READ_CONCURRENCY,
  MIN_CLIENTS_PAGE_SIZE,
} from '../keycloak/snapshot.ts';
import {
  type Credentials,
  type Env,
  type RawConnection,
  toConnection,
  UsageError,
  withConnectionOptions,
} from './connection-options.ts';
import { FAIL_ON, type FailOn } from './exit-code.ts';
import { addFixCommand, type FixOptions, type RawFixOptions, toFixOptions } from './fix-options.ts';

export const FORMATS = ['table', 'json', 'csv', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

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
  /** Admin requests in flight at once while a realm is read. */
  concurrency: number;
  /** Clients per request while a realm is read, or the adaptive sizing. */
  pageSize: ClientsPageSize;
  /** A JSON file of clientId → required audiences, which wins over the clients' attribute. */
  requirementsFile: string | undefined;
}

export type ParseResult =
  | { kind: 'audit'; options: AuditOptions }
  | { kind: 'fix'; options: FixOptions }
  | { kind: 'exit'; code: number };

/** The command commander ran, with its options as read. */
type Chosen = { command: 'audit'; raw: RawOptions } | { command: 'fix'; raw: RawFixOptions };

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

interface RawOptions extends RawConnection {
  realm?: string;
  allRealms?: boolean;
  format: Format;
  failOn: FailOn;
  includeBuiltin?: boolean;
  verifyUser?: string;
  concurrency: string;
  pageSize: string;
  requirements?: string;
}

/** "--password=…" typed as an unknown option must not be echoed back. */
const hideOptionValues = (text: string) => text.replace(/('--?[^'=\s]+)=[^']*'/g, "$1=…'");

function program(output: Output, version: string, choose: (chosen: Chosen) => void): Command {
  const root = new Command('audience-doctor')
    .description(
      "Audits whether every client's access tokens carry its own clientId in aud, and fixes the clients whose tokens do not.",
    )
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text),
      writeErr: (text) => output.err(hideOptionValues(text)),
    });
  withConnectionOptions(
    root.command('audit').description('Audit one realm, or every realm you can read, and report per client.'),
  )
    .addOption(new Option('--realm <realm>', 'the realm to audit').conflicts('allRealms'))
    .option('--all-realms', 'audit every realm the signed-in account can read')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .addOption(
      new Option('--fail-on <level>', 'what makes the exit code 1 (see the README)')
        .choices(FAIL_ON)
        .default('missing'),
    )
    .option('--include-builtin', "also report Keycloak's own clients (admin-cli, account, …)")
    .option('--verify-user <username>', 'also compare with an example token Keycloak generates for this user')
    .option(
      '--requirements <file>',
      'JSON file of clientId → audiences its tokens must carry, e.g. {"spa": ["orders-api"]}; wins over the client attribute audience-doctor.requires',
    )
    .option(
      '--concurrency <n>',
      `admin requests in flight at once while a realm is read, 1 to ${MAX_READ_CONCURRENCY} (a production Keycloak is shared)`,
      String(DEFAULT_READ_CONCURRENCY),
    )
    .option(
      '--page-size <n|adaptive>',
      `clients per request while a realm is read, ${MIN_CLIENTS_PAGE_SIZE} to ${MAX_CLIENTS_PAGE_SIZE}; 500 suits a Keycloak whose realms cache holds the realm, "adaptive" times one page of 500 and keeps the faster size`,
      String(CLIENTS_PAGE_SIZE),
    )
    .action((raw: RawOptions) => choose({ command: 'audit', raw }));
  addFixCommand(root, (raw) => choose({ command: 'fix', raw }));
  return root;
}

function toAuditOptions(raw: RawOptions, env: Env): AuditOptions {
  if (!raw.realm && !raw.allRealms) throw new UsageError('choose what to audit: --realm REALM or --all-realms');
  const { url, authRealm, credentials } = toConnection(raw, env);
  return {
    url,
    realm: raw.allRealms ? undefined : raw.realm,
    authRealm,
    credentials,
    format: raw.format,
    failOn: raw.failOn,
    includeBuiltIn: raw.includeBuiltin === true,
    verifyUser: raw.verifyUser || undefined,
    concurrency: readConcurrency(raw.concurrency),
    pageSize: readPageSize(raw.pageSize),
    requirementsFile: raw.requirements || undefined,
  };
}

function readConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_READ_CONCURRENCY) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_READ_CONCURRENCY}, not "${text}"`);
  }
  return value;
}

/** --page-size as typed; also how the benches read BENCH_PAGE_SIZE. */
export function readPageSize(text: string): ClientsPageSize {
  if (text === 'adaptive') return text;
  const value = Number(text);
  if (!Number.isInteger(value) || value < MIN_CLIENTS_PAGE_SIZE || value > MAX_CLIENTS_PAGE_SIZE) {
    throw new UsageError(
      `--page-size must be "adaptive" or a whole number from ${MIN_CLIENTS_PAGE_SIZE} to ${MAX_CLIENTS_PAGE_SIZE}, not "${text}"`,
    );
  }
  return value;
}

/**
 * Reads the command line. Help and version end the run with 0; commander's own errors (unknown option,
 * bad choice) are already written when this returns 2. Our own checks throw UsageError.
 */
export function parseArguments(argv: string[], env: Env, output: Output, version: string): ParseResult {
  let chosen: Chosen | undefined;
  try {
    program(output, version, (command) => {
      chosen = command;
    }).parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const quiet = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
      return { kind: 'exit', code: quiet ? 0 : 2 };
    }
    throw error;
  }
  // Without a command commander prints the help and ends, so this is only reached when one ran.
  const ran = chosen as Chosen | undefined;
  if (!ran) throw new UsageError('nothing to do: run "audience-doctor --help"');
  if (ran.command === 'fix') return { kind: 'fix', options: toFixOptions(ran.raw, env) };
  return { kind: 'audit', options: toAuditOptions(ran.raw, env) };
}
