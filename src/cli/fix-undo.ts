import { stepsToUndo } from '../remediation/journal.ts';
import { CliFailure } from './failure.ts';
import { FIX_EXIT, undoExitCode } from './fix-exit-code.ts';
import type { UndoCommand } from './fix-options.ts';
import { shellWord, undoLines } from './fix-render.ts';
import { checkTarget, openSession } from './fix-session.ts';
import type { Io } from './io.ts';
import { fileJournalStore, readJournalFile } from './journal-file.ts';
import { confirm, undoQuestion } from './prompt.ts';

/**
 * `fix --undo`: puts back what a journaled run wrote, from a journal of `fix --apply` or one downloaded from
 * the dashboard. It asks first on a terminal (not with --yes, and not when stdin is no terminal), and
 * updates the journal file as it goes, so an undo that is interrupted can be run again.
 */
export async function runUndo(options: UndoCommand, io: Io): Promise<number> {
  const { url } = options.connection;
  const path = options.journalFile;
  const read = readJournalFile(io.fs, path);
  if ('missing' in read) throw new CliFailure(`there is no journal file ${path}`);
  if ('problem' in read) throw new CliFailure(read.problem);
  const { journal } = read;
  // A journal that names no server (an older dashboard's) is taken for the server named now.
  checkTarget(
    `the journal ${path}`,
    { realm: journal.realm, keycloakUrl: journal.keycloakUrl || url },
    url,
    options.realm,
  );

  const writes = stepsToUndo(journal).length;
  if (writes === 0) {
    io.out(`Nothing to undo: run ${journal.runId} (${journal.state}) has no write left in realm ${journal.realm}.\n`);
    return FIX_EXIT.ok;
  }
  if (!(await confirm(io, undoQuestion(writes, journal.runId, journal.realm), options.yes))) {
    io.err('Not undone: nothing was written.\n');
    return FIX_EXIT.cannotRun;
  }

  const store = fileJournalStore(io.fs, path, (reason) => {
    io.err(`warning: cannot update the journal ${path} (${reason}); the undo goes on\n`);
  });
  const session = await openSession(options.connection, { journal: store });
  const result = await session.undo(journal);
  const code = undoExitCode(result);
  const lines = undoLines(result);
  if (code === FIX_EXIT.ok) io.out(`${lines.join('\n')}\n`);
  else io.err(`error: ${lines.join('\n')}\n`);
  if (code === FIX_EXIT.leftBehind) {
    io.err(
      `error: the journal ${path} says what is left; try again later: audience-doctor fix --undo ${shellWord(path)}\n`,
    );
  }
  return code;
}
