import { type JournalStore, parseJournal, type RunJournal, stepsToUndo } from '../remediation/journal.ts';
import { fileProblem, readText, type SyncFs, writeAtomically } from './files.ts';

/** What a journal file holds: a run's journal, nothing yet, or something that is not a journal. */
export type JournalRead = { journal: RunJournal } | { missing: true } | { problem: string };

/**
 * A run's journal as one JSON document, the same RunJournal the dashboard keeps (and offers to download),
 * so either can undo what the other ran.
 */
export const journalText = (journal: RunJournal) => `${JSON.stringify(journal, null, 2)}\n`;

export function readJournalFile(fs: SyncFs, path: string): JournalRead {
  let text: string | undefined;
  try {
    text = readText(fs, path);
  } catch (error) {
    return { problem: `cannot read ${path}: ${fileProblem(error)}` };
  }
  if (text === undefined) return { missing: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `${path} is not JSON, so not a run journal of Audience Doctor` };
  }
  const parsed = parseJournal(value);
  return 'journal' in parsed ? parsed : { problem: `${path}: ${parsed.problem}` };
}

/** Whether some write of the run may still be in Keycloak: then only an undo may replace its journal. */
export const mayHoldWrites = (journal: RunJournal) => stepsToUndo(journal).length > 0;

export interface FileJournalStore extends JournalStore {
  /** Why a save failed, once one has: the run is then stopped through `onFailure`. */
  readonly failure: string | undefined;
}

/**
 * The journal of one run in one file, replaced atomically before and after every write, so a run that is
 * killed can still be undone from it. A save that fails does not throw into the run (which would stop it
 * without its roll-back): it is remembered and `onFailure` is called, which should cancel the run.
 */
export function fileJournalStore(fs: SyncFs, path: string, onFailure: (reason: string) => void = () => {}) {
  let failure: string | undefined;
  const store: FileJournalStore = {
    get failure() {
      return failure;
    },
    save(journal) {
      try {
        writeAtomically(fs, path, journalText({ ...journal, updatedAt: new Date().toISOString() }));
      } catch (error) {
        if (failure === undefined) {
          failure = fileProblem(error);
          onFailure(failure);
        }
      }
    },
    list() {
      const read = readJournalFile(fs, path);
      return 'journal' in read ? [read.journal] : [];
    },
    remove(runId) {
      const read = readJournalFile(fs, path);
      if ('journal' in read && read.journal.runId === runId) fs.rmSync(path, { force: true });
    },
  };
  return store;
}
