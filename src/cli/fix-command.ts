import { describeFailure } from './failure.ts';
import { runApply } from './fix-apply.ts';
import { FIX_EXIT } from './fix-exit-code.ts';
import type { FixOptions } from './fix-options.ts';
import { runPlan } from './fix-plan.ts';
import { runUndo } from './fix-undo.ts';
import type { Io } from './io.ts';

/**
 * `audience-doctor fix`, in three steps as with a plan and apply of infrastructure code: --plan writes a
 * reviewed file, --apply applies exactly that file (or nothing), --undo puts a run back. Whatever stops it
 * before a write is one `error:` line and exit 2.
 */
export async function runFix(options: FixOptions, io: Io): Promise<number> {
  try {
    switch (options.mode) {
      case 'plan':
        return await runPlan(options, io);
      case 'apply':
        return await runApply(options, io);
      case 'undo':
        return await runUndo(options, io);
    }
  } catch (error) {
    io.err(`error: ${describeFailure(error, options.connection.url)}\n`);
    return FIX_EXIT.cannotRun;
  }
}
