import { type JournalStore, journalFile, parseJournal, type RunJournal, unfinished } from './journal.ts';
import { formatChars, isQuotaError, journalRoom, STORAGE_QUOTA_CHARS, storageUsed } from './journal-size.ts';

const PREFIX = 'audience-doctor.runs';

export const journalKey = (keycloakUrl: string, realm: string) => `${PREFIX}:${keycloakUrl}:${realm}`;

/** How the browser's storage is used, in characters. */
export interface JournalUsage {
  /** The journals of this Keycloak and realm. */
  realm: number;
  /** Journals of other realms or Keycloaks, cleared from their own realm's Recent runs. */
  otherJournals: number;
  /** Everything the dashboard's origin keeps, journals included. */
  used: number;
  quota: number;
}

export interface LocalJournalStore extends JournalStore {
  room: NonNullable<JournalStore['room']>;
  usage(): JournalUsage;
}

/**
 * Journals in localStorage, one key per Keycloak and realm, newest first. Nothing is ever dropped to make
 * room: a run whose journal would not fit is refused before it starts (`room`), and a journal goes only
 * when the user clears it, never while its run is unfinished. Each entry is validated on read; one that is
 * not a journal (edited by hand, an older format) is kept as it is but not listed, so nothing is lost and
 * nothing unchecked reaches the undo.
 */
export function localJournalStore(
  keycloakUrl: string,
  realm: string,
  storage: Storage = localStorage,
  quota = STORAGE_QUOTA_CHARS,
): LocalJournalStore {
  const key = journalKey(keycloakUrl, realm);
  const readRaw = (): unknown[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  };
  const field = (entry: unknown, name: string) =>
    entry && typeof entry === 'object' && name in entry ? (entry as Record<string, unknown>)[name] : undefined;
  const list = (): RunJournal[] =>
    readRaw().flatMap((entry) => {
      const parsed = parseJournal(entry);
      return 'journal' in parsed ? [parsed.journal] : [];
    });
  const write = (entries: unknown[], runId: string) => {
    const text = JSON.stringify(entries);
    try {
      storage.setItem(key, text);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      throw new Error(
        `This browser's storage is full: the journals of realm ${realm} (${formatChars(text.length)} with run ${runId}) ` +
          `no longer fit in its ${formatChars(quota)}.`,
      );
    }
  };
  return {
    save(journal) {
      const others = readRaw().filter((entry) => field(entry, 'runId') !== journal.runId);
      write([{ ...journal, updatedAt: new Date().toISOString() }, ...others], journal.runId);
    },
    list,
    remove(runId) {
      const entries = readRaw();
      const entry = entries.find((item) => field(item, 'runId') === runId);
      const state = field(entry, 'state');
      if (typeof state === 'string' && unfinished({ state: state as RunJournal['state'] })) {
        throw new Error(`Run ${runId} has not finished: roll it back or resume it before clearing its journal.`);
      }
      write(
        entries.filter((item) => item !== entry),
        runId,
      );
    },
    room(plan) {
      const stored = storage.getItem(key);
      // A first journal adds the key and its brackets; a later one a comma.
      const overhead = stored === null ? key.length + 2 : stored === '[]' ? 0 : 1;
      return journalRoom(plan, keycloakUrl, { used: storageUsed(storage), quota, overhead });
    },
    usage() {
      let otherJournals = 0;
      for (let index = 0; index < storage.length; index++) {
        const name = storage.key(index);
        if (name !== null && name !== key && name.startsWith(`${PREFIX}:`)) {
          otherJournals += name.length + (storage.getItem(name)?.length ?? 0);
        }
      }
      const own = storage.getItem(key);
      return {
        realm: own === null ? 0 : key.length + own.length,
        otherJournals,
        used: storageUsed(storage),
        quota,
      };
    },
  };
}

/** The journals a user may clear: finished runs only, never one running in this page or interrupted. */
export const clearableJournals = (journals: RunJournal[], active: ReadonlySet<string>) =>
  journals.filter((journal) => !unfinished(journal) && !active.has(journal.runId));

/** A journal as a download: the file `audience-doctor fix --undo` reads. */
/** Removes the journals; the store's refusal (an unfinished run's journal) as a message, or undefined. */
export function removeJournals(store: JournalStore, journals: RunJournal[]): string | undefined {
  try {
    for (const journal of journals) store.remove(journal.runId);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const journalDownload = (journal: RunJournal) => ({
  fileName: `audience-doctor-run-${journal.runId}.json`,
  type: 'application/json',
  content: journalFile(journal),
});

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export interface ClearQuestion {
  title: string;
  text: string;
  downloadLabel: string;
  confirmLabel: string;
}

/** What is asked before journals are cleared; the dialog offers their download first. */
export function clearQuestion(journals: RunJournal[], realm: string): ClearQuestion {
  const size = formatChars(journals.reduce((sum, journal) => sum + JSON.stringify(journal).length, 0));
  const [only] = journals;
  if (journals.length === 1 && only) {
    return {
      title: `Clear the journal of run ${only.runId}?`,
      text:
        `This browser then forgets the run (${size}): Recent runs no longer lists it, and it can no longer be undone from here. ` +
        'Download it first to keep it: audience-doctor fix --undo reads the file, so the run can still be undone from it.',
      downloadLabel: 'Download journal',
      confirmLabel: 'Clear journal',
    };
  }
  return {
    title: `Clear ${plural(journals.length, 'finished run')}?`,
    text:
      `The journals of ${plural(journals.length, 'finished run')} of realm ${realm} take ${size}. This browser then forgets ` +
      'them, and they can no longer be undone from here; interrupted runs are kept. Download them first to keep them: ' +
      'audience-doctor fix --undo reads each file, so a run can still be undone from it.',
    downloadLabel: `Download ${plural(journals.length, 'journal')}`,
    confirmLabel: `Clear ${plural(journals.length, 'journal')}`,
  };
}
