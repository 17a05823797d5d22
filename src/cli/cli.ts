import packageJson from '../../package.json' with { type: 'json' };
import { auditRealms } from './audit-realms.ts';
import { signIn } from './auth.ts';
import { UsageError } from './connection-options.ts';
import { EXIT_CANNOT_AUDIT, exitCodeFor, unjudged } from './exit-code.ts';
import { describeFailure } from './failure.ts';
import { runFix } from './fix-command.ts';
import type { Io } from './io.ts';
import { parseArguments } from './options.ts';
import { render } from './render.ts';
import { readRequirementsFile, unknownRequirementClients } from './requirements-file.ts';

export type { Io } from './io.ts';

const TOOL = { name: 'audience-doctor', version: packageJson.version };

/**
 * The whole command: parse, then audit (sign in, audit, print; exit 0, 1, or 2 with one line on stderr) or
 * fix (see fix-command.ts); returns the exit code.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const fail = (message: string) => {
    io.err(`error: ${message}\n`);
    return EXIT_CANNOT_AUDIT;
  };
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv, io.env, { out: io.out, err: io.err }, TOOL.version);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  if (parsed.kind === 'exit') return parsed.code;
  if (parsed.kind === 'fix') return runFix(parsed.options, io);

  const options = parsed.options;
  let requirements: Map<string, string[] | null> | undefined;
  try {
    requirements = options.requirementsFile ? readRequirementsFile(io.fs, options.requirementsFile) : undefined;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  try {
    const admin = await signIn(options.url, options.authRealm, options.credentials);
    // One line redrawn in place with a carriage return and spaces: no escape codes, which NO_COLOR terminals get too.
    let shown = 0;
    const redraw = (text: string) => {
      io.err(`\r${text.padEnd(shown)}${text.length < shown ? `\r${text}` : ''}`);
      shown = text.length;
    };
    const clear = () => {
      if (shown > 0) io.err(`\r${' '.repeat(shown)}\r`);
      shown = 0;
    };
    const progress = io.progress
      ? (realm: string, clients: number) => redraw(`realm ${realm}: ${clients} clients read`)
      : undefined;
    const reports = await auditRealms(admin, { ...options, requirements, onProgress: progress }, (line) => {
      clear();
      io.err(`warning: ${line}\n`);
    });
    clear();
    for (const clientId of requirements ? unknownRequirementClients(requirements, reports) : []) {
      io.err(
        `warning: --requirements names client "${clientId}", which the audit did not report (no such client, or a built-in one without --include-builtin)\n`,
      );
    }
    io.out(
      render(reports, {
        format: options.format,
        allRealms: options.realm === undefined,
        verify: options.verifyUser !== undefined,
        color: io.color,
        tool: TOOL,
      }),
    );
    // The report is printed all the same; stderr says what was not judged, as the failure it is unless --fail-on none.
    const code = exitCodeFor(reports, options.failOn);
    const label = code === EXIT_CANNOT_AUDIT ? 'error' : 'warning';
    for (const line of unjudged(reports)) io.err(`${label}: ${line}\n`);
    return code;
  } catch (error) {
    return fail(describeFailure(error, options.url));
  }
}
