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
  try {
    const admin = await signIn(options.url, options.authRealm, options.credentials);
    const progress = io.progress
      ? (realm: string, clients: number) => io.err(`\r\x1b[Krealm ${realm}: ${clients} clients read`)
      : undefined;
    const reports = await auditRealms(admin, { ...options, onProgress: progress }, (line) =>
      io.err(`${io.progress ? '\r\x1b[K' : ''}warning: ${line}\n`),
    );
    if (io.progress) io.err('\r\x1b[K');
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
