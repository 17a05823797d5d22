import { type JournalStore, parseJournal, type RunJournal, unfinished } from './journal.ts';
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
