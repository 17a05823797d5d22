import { type JournalStep, parseJournal, type RunJournal } from './journal-schema.ts';
import type { Plan } from './types.ts';

export type { JournalStep, JournalStepStatus, RunJournal, RunState } from './journal-schema.ts';
export { parseJournal } from './journal-schema.ts';

export function newJournal(plan: Plan, keycloakUrl: string, now = new Date()): RunJournal {
  const at = now.toISOString();
  return {
    runId: plan.runId,
    keycloakUrl,
    realm: plan.realm,
    strategy: plan.strategy,
    fixes: plan.fixes,
    startedAt: at,
    updatedAt: at,
    state: 'running',
    request: plan.request,
    steps: plan.steps.map((step, index) => ({
      index,
      write: step.write,
      undo: step.undo,
      clientIds: step.clientIds,
      status: 'pending',
    })),
  };
}

/**
 * A journal as a file: the same JSON the browser keeps, which `audience-doctor fix --undo` reads back
 * (validated like any journal). It holds ids, names and representations, never a token or a secret.
 */
export const journalFile = (journal: RunJournal) => `${JSON.stringify(journal, null, 2)}\n`;

/** Where journals live; each save replaces the run's previous copy. */
export interface JournalStore {
  save(journal: RunJournal): void;
  list(): RunJournal[];
  remove(runId: string): void;
}

/** Steps whose write may be in Keycloak now, latest first: the ones an undo or rollback must look at. */
export function stepsToUndo(journal: RunJournal): JournalStep[] {
  return journal.steps
    .filter((step) => step.status === 'written' || step.status === 'writing' || step.status === 'undo-failed')
    .sort((left, right) => (right.at ?? '').localeCompare(left.at ?? '') || right.index - left.index);
}

const MAX_RUNS = 20;
const PREFIX = 'audience-doctor.runs';

/**
 * Journals in localStorage, one key per Keycloak and realm, the newest MAX_RUNS kept. Each entry is
 * validated on read; one that is not a journal (edited by hand, an older format) is kept as it is but not
 * listed, so nothing is lost and nothing unchecked reaches the undo.
 */
export function localJournalStore(keycloakUrl: string, realm: string, storage: Storage = localStorage): JournalStore {
  const key = `${PREFIX}:${keycloakUrl}:${realm}`;
  const readRaw = (): unknown[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  };
  const runIdOf = (entry: unknown) =>
    entry && typeof entry === 'object' && 'runId' in entry ? (entry as { runId: unknown }).runId : undefined;
  const list = (): RunJournal[] =>
    readRaw().flatMap((entry) => {
      const parsed = parseJournal(entry);
      return 'journal' in parsed ? [parsed.journal] : [];
    });
  const write = (entries: unknown[]) => storage.setItem(key, JSON.stringify(entries.slice(0, MAX_RUNS)));
  return {
    save(journal) {
      const others = readRaw().filter((entry) => runIdOf(entry) !== journal.runId);
      write([{ ...journal, updatedAt: new Date().toISOString() }, ...others]);
    },
    list,
    remove(runId) {
      write(readRaw().filter((entry) => runIdOf(entry) !== runId));
    },
  };
}

/** A store that keeps journals in memory only: for the CLI, the bench and tests. */
export function memoryJournalStore(): JournalStore & { journals: Map<string, RunJournal> } {
  const journals = new Map<string, RunJournal>();
  return {
    journals,
    save: (journal) => journals.set(journal.runId, structuredClone(journal)),
    list: () => [...journals.values()],
    remove: (runId) => journals.delete(runId),
  };
}
