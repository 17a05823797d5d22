import { type Command, Option } from 'commander';
import { DEFAULT_CONCURRENCY } from '../remediation/execute.ts';
import { scopeNameProblem } from '../remediation/names.ts';
import { STRATEGIES, type Strategy } from '../remediation/types.ts';
import {
  type Connection,
  type Env,
  type RawConnection,
  toConnection,
  UsageError,
  withConnectionOptions,
} from './connection-options.ts';

export const FIX_FORMATS = ['human', 'rest', 'kcadm'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

const MAX_CONCURRENCY = 32;

/** `fix --plan`: read the realm, plan, print the changes and save the plan. */
export interface PlanCommand {
  mode: 'plan';
  connection: Connection;
  realm: string;
  /** undefined: every client whose verdict is `missing` (--all-missing). */
  clientIds: string[] | undefined;
  strategy: Strategy;
  /** The wished name of the one new client scope (client-scope for one client, or cross-client). */
  scopeName: string | undefined;
  sharedScopeName: string | undefined;
  /** Cross-client: the API client whose clientId the callers' tokens are to carry. */
  audience: string | undefined;
  /** Cross-client, instead of `audience`: a custom audience (a value that names no client) they are to carry. */
  customAudience: string | undefined;
  acceptCrossTrust: boolean;
  /** Requirements: the file (clientId → audiences) whose lists are to be written. */
  requirementsFile: string | undefined;
  /** Requirements: the file (API clientId → callers) whose declarations are to be written. */
  callersFile: string | undefined;
  replaceUnreadable: boolean;
  acceptUnknownAudiences: boolean;
  planFile: string;
  format: FixFormat;
}

/** `fix --apply`: plan again, refuse unless the writes are the file's, apply with a journal, verify. */
export interface ApplyCommand {
  mode: 'apply';
  connection: Connection;
  planFile: string;
  journalFile: string;
  concurrency: number;
  /** When given, the plan must be for this realm. */
  realm: string | undefined;
}

/** `fix --undo`: put back what a journaled run wrote. */
export interface UndoCommand {
  mode: 'undo';
  connection: Connection;
  journalFile: string;
  yes: boolean;
  realm: string | undefined;
}

export type FixOptions = PlanCommand | ApplyCommand | UndoCommand;
type Mode = FixOptions['mode'];

export interface RawFixOptions extends RawConnection {
  realm?: string;
  client?: string[];
  allMissing?: boolean;
  strategy?: Strategy;
  scopeName?: string;
  sharedScopeName?: string;
  audience?: string;
  customAudience?: string;
  acceptCrossTrust?: boolean;
  requirements?: string;
  callers?: string;
  replaceUnreadable?: boolean;
  acceptUnknownAudiences?: boolean;
  format?: FixFormat;
  plan?: string;
  apply?: string;
  undo?: string;
  journal?: string;
  concurrency?: string;
  yes?: boolean;
}

/** The options that belong to one mode only, with the flag that names them. */
const ONLY_IN: { key: keyof RawFixOptions; flag: string; mode: Mode }[] = [
  { key: 'client', flag: '--client', mode: 'plan' },
  { key: 'allMissing', flag: '--all-missing', mode: 'plan' },
  { key: 'strategy', flag: '--strategy', mode: 'plan' },
  { key: 'scopeName', flag: '--scope-name', mode: 'plan' },
  { key: 'sharedScopeName', flag: '--shared-scope-name', mode: 'plan' },
  { key: 'audience', flag: '--audience', mode: 'plan' },
  { key: 'customAudience', flag: '--custom-audience', mode: 'plan' },
  { key: 'acceptCrossTrust', flag: '--accept-cross-trust', mode: 'plan' },
  { key: 'requirements', flag: '--requirements', mode: 'plan' },
  { key: 'callers', flag: '--callers', mode: 'plan' },
  { key: 'replaceUnreadable', flag: '--replace-unreadable', mode: 'plan' },
  { key: 'acceptUnknownAudiences', flag: '--accept-unknown-audiences', mode: 'plan' },
  { key: 'format', flag: '--format', mode: 'plan' },
  { key: 'journal', flag: '--journal', mode: 'apply' },
  { key: 'concurrency', flag: '--concurrency', mode: 'apply' },
  { key: 'yes', flag: '--yes', mode: 'undo' },
];

const MODE_FLAG: Record<Mode, string> = { plan: '--plan', apply: '--apply', undo: '--undo' };

/** The `fix` command with its options; `onFix` gets them as commander read them. */
export function addFixCommand(root: Command, onFix: (raw: RawFixOptions) => void): Command {
  return withConnectionOptions(
    root
      .command('fix')
      .description(
        'Plan a fix into a file and print it (--plan), apply a reviewed plan file (--apply), or undo a run (--undo).',
      ),
  )
    .option('--plan <file>', 'read the realm, plan, print the changes and write the plan to this file')
    .option('--apply <file>', 'apply a plan file, only if planning again gives exactly its writes')
    .option('--undo <journal>', 'undo the run a journal file describes (also one downloaded from the dashboard)')
    .option('--realm <realm>', 'the realm to fix (with --apply or --undo: the realm the file must be for)')
    .option('--client <clientId...>', 'the clients to fix (or, with cross-client, the callers)')
    .option(
      '--all-missing',
      'every client whose tokens lack its own clientId where that is required (Keycloak’s own clients left out)',
    )
    .addOption(new Option('--strategy <strategy>', 'how to fix (see the README)').choices(STRATEGIES))
    .option('--scope-name <name>', 'client-scope for one client, or cross-client: the new scope’s name')
    .option('--shared-scope-name <name>', 'shared-scope: the one scope’s name')
    .option('--audience <clientId>', 'cross-client: the API client the callers’ tokens are to carry')
    .option(
      '--custom-audience <value>',
      'cross-client, instead of --audience: a custom audience (no clientId, e.g. a URL) the callers’ tokens are to carry',
    )
    .option('--accept-cross-trust', 'shared-scope: agree that its services accept each other’s tokens')
    .option('--requirements <file>', 'requirements: JSON clientId → audiences, written to each client’s attribute')
    .option('--callers <file>', 'requirements: JSON API clientId → the callers whose tokens must carry it')
    .option('--replace-unreadable', 'requirements: write over an attribute that holds no requirements list')
    .option('--accept-unknown-audiences', 'requirements: write audiences that name no client and no mapper adds')
    .addOption(new Option('--format <format>', 'how to print the plan (default human)').choices(FIX_FORMATS))
    .option('--journal <file>', 'the run’s journal (default: next to the plan file, <plan>.journal.json)')
    .option('--concurrency <n>', `clients written to at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--yes', 'undo without asking (it never asks when stdin is not a terminal)')
    .action((raw: RawFixOptions) => onFix(raw));
}

function modeOf(raw: RawFixOptions): Mode {
  const given = (['plan', 'apply', 'undo'] as const).filter((mode) => raw[mode] !== undefined);
  if (given.length !== 1) {
    const which = given.length === 0 ? 'choose' : 'choose one';
    throw new UsageError(`${which}: --plan FILE (plan), --apply FILE (apply a plan) or --undo JOURNAL (undo a run)`);
  }
  const mode = given[0] as Mode;
  for (const option of ONLY_IN) {
    if (option.mode !== mode && raw[option.key] !== undefined) {
      throw new UsageError(`${option.flag} goes with ${MODE_FLAG[option.mode]}, not with ${MODE_FLAG[mode]}`);
    }
  }
  return mode;
}

function checkedName(flag: string, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const problem = scopeNameProblem(name);
  if (problem) throw new UsageError(`${flag} "${name}": ${problem}`);
  return name;
}

/** A custom audience is compared character for character: empty or padded, no token would ever match it. */
function checkedCustomAudience(value: string): void {
  if (!value.trim()) throw new UsageError('--custom-audience needs a value, such as https://api.example.com');
  if (value.trim() !== value) {
    throw new UsageError(
      `--custom-audience ${JSON.stringify(value)}: starts or ends with white space; give it without`,
    );
  }
}

function toPlanCommand(raw: RawFixOptions, connection: Connection, planFile: string): PlanCommand {
  if (!raw.realm) throw new UsageError('--plan needs --realm REALM');
  if (!raw.strategy) throw new UsageError(`--plan needs --strategy (${STRATEGIES.join(', ')})`);
  const strategy = raw.strategy;
  const clientIds = raw.client ? [...new Set(raw.client)] : undefined;
  const forRequirements = (
    [
      ['--requirements', raw.requirements],
      ['--callers', raw.callers],
      ['--replace-unreadable', raw.replaceUnreadable],
      ['--accept-unknown-audiences', raw.acceptUnknownAudiences],
    ] as const
  )
    .filter(([, value]) => value !== undefined)
    .map(([flag]) => flag);
  if (strategy === 'requirements') {
    if (!raw.requirements && !raw.callers)
      throw new UsageError('--strategy requirements needs --requirements FILE, --callers FILE or both');
    if (raw.allMissing) throw new UsageError('--all-missing goes with the own-audience strategies');
    for (const flag of ['scopeName', 'sharedScopeName', 'audience', 'customAudience', 'acceptCrossTrust'] as const) {
      if (raw[flag] !== undefined)
        throw new UsageError(`--strategy requirements takes no ${ONLY_IN.find((option) => option.key === flag)?.flag}`);
    }
    return {
      ...planCommand(raw, connection, planFile, clientIds, strategy),
      requirementsFile: raw.requirements,
      callersFile: raw.callers,
    };
  }
  if (forRequirements.length > 0)
    throw new UsageError(`${forRequirements.join(', ')} goes with --strategy requirements`);
  if (clientIds && raw.allMissing) throw new UsageError('give either --client or --all-missing, not both');
  if (!clientIds && !raw.allMissing) throw new UsageError('choose the clients: --client ID… or --all-missing');
  if (strategy === 'cross-client') {
    if (raw.audience !== undefined && raw.customAudience !== undefined) {
      throw new UsageError('give either --audience CLIENT_ID or --custom-audience VALUE, not both');
    }
    if (!raw.audience && raw.customAudience === undefined) {
      throw new UsageError(
        '--strategy cross-client needs --audience CLIENT_ID (the API client) or --custom-audience VALUE',
      );
    }
    if (raw.customAudience !== undefined) checkedCustomAudience(raw.customAudience);
    if (!clientIds) throw new UsageError('--strategy cross-client needs --client ID… (the callers), not --all-missing');
  } else if (raw.audience !== undefined) {
    throw new UsageError('--audience goes with --strategy cross-client');
  } else if (raw.customAudience !== undefined) {
    throw new UsageError('--custom-audience goes with --strategy cross-client');
  }
  if (raw.sharedScopeName !== undefined && strategy !== 'shared-scope') {
    throw new UsageError('--shared-scope-name goes with --strategy shared-scope');
  }
  if (raw.acceptCrossTrust && strategy !== 'shared-scope') {
    throw new UsageError('--accept-cross-trust goes with --strategy shared-scope');
  }
  if (raw.scopeName !== undefined) {
    const one = strategy === 'cross-client' || (strategy === 'client-scope' && clientIds?.length === 1);
    if (!one) {
      throw new UsageError(
        '--scope-name names one new scope: use it with --strategy cross-client, or client-scope for one --client',
      );
    }
  }
  return {
    ...planCommand(raw, connection, planFile, clientIds, strategy),
    scopeName: checkedName('--scope-name', raw.scopeName),
    sharedScopeName: checkedName('--shared-scope-name', raw.sharedScopeName),
    audience: raw.audience,
    customAudience: raw.customAudience,
    acceptCrossTrust: raw.acceptCrossTrust === true,
  };
}

/** The plan command with every strategy option at its default. */
function planCommand(
  raw: RawFixOptions,
  connection: Connection,
  planFile: string,
  clientIds: string[] | undefined,
  strategy: Strategy,
): PlanCommand {
  return {
    mode: 'plan',
    connection,
    realm: raw.realm as string,
    clientIds,
    strategy,
    scopeName: undefined,
    sharedScopeName: undefined,
    audience: undefined,
    customAudience: undefined,
    acceptCrossTrust: false,
    requirementsFile: undefined,
    callersFile: undefined,
    replaceUnreadable: raw.replaceUnreadable === true,
    acceptUnknownAudiences: raw.acceptUnknownAudiences === true,
    planFile,
    format: raw.format ?? 'human',
  };
}

/** Next to the plan file: "fix.plan.json" keeps its journal in "fix.plan.journal.json". */
export const defaultJournalFile = (planFile: string) => `${planFile.replace(/\.json$/i, '')}.journal.json`;

function concurrencyOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`);
  }
  return n;
}

/** The fix options checked and completed; every mistake is a UsageError (exit 2). */
export function toFixOptions(raw: RawFixOptions, env: Env): FixOptions {
  const mode = modeOf(raw);
  const connection = toConnection(raw, env);
  if (mode === 'plan') return toPlanCommand(raw, connection, raw.plan as string);
  if (mode === 'apply') {
    const planFile = raw.apply as string;
    const journalFile = raw.journal ?? defaultJournalFile(planFile);
    if (journalFile === planFile) throw new UsageError('--journal must be another file than the plan');
    return { mode, connection, planFile, journalFile, concurrency: concurrencyOf(raw.concurrency), realm: raw.realm };
  }
  return { mode, connection, journalFile: raw.undo as string, yes: raw.yes === true, realm: raw.realm };
}
