import type { Plan, Strategy, Write } from './plan.ts';

export type JournalStepStatus =
  | 'pending'
  /** Sent, answer not seen: after an interruption Keycloak itself must be asked whether it happened. */
  | 'writing'
  | 'written'
  /** It was already so; nothing to undo. */
  | 'already-there'
  | 'undone'
  | 'undo-failed';

export interface JournalStep {
  index: number;
  write: Write;
  undo: Write;
  clientIds: string[];
  status: JournalStepStatus;
  /** The id Keycloak gave to an object the step created. */
  createdId?: string;
  /** When the status last changed (ISO time). */
  at?: string;
  /** Why it failed or could not be undone. */
  problem?: string;
}

export type RunState =
  | 'running'
  | 'applied'
  /** Failed or cancelled, and everything written was undone. */
  | 'rolled-back'
  /** Failed or cancelled, and some of it could not be undone: see the steps. */
  | 'partly-rolled-back'
  | 'undone'
  /** Stopped without a result, e.g. the page was closed or the session ended. */
  | 'interrupted'
  /** Interrupted, then continued by a later run. */
  | 'resumed';

/** One run, as kept in the browser: ids, names and representations, never tokens or secrets. */
export interface RunJournal {
  runId: string;
  keycloakUrl: string;
  realm: string;
  strategy: Strategy;
  fixes: string[];
  startedAt: string;
  updatedAt: string;
  state: RunState;
  /** The request the plan was made from, so an interrupted run can be resumed. */
  request: Plan['request'];
  steps: JournalStep[];
  message?: string;
}

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

/** A journal last saved as running belongs to a run that no longer runs once the page is loaded anew. */
export function interruptedRuns(journals: RunJournal[], active: ReadonlySet<string>): RunJournal[] {
  return journals.filter((journal) => journal.state === 'running' && !active.has(journal.runId));
}

const MAX_RUNS = 20;
const PREFIX = 'audience-doctor.runs';

/** Journals in localStorage, one key per Keycloak and realm, the newest MAX_RUNS kept. */
export function localJournalStore(keycloakUrl: string, realm: string, storage: Storage = localStorage): JournalStore {
  const key = `${PREFIX}:${keycloakUrl}:${realm}`;
  const read = (): RunJournal[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? (parsed as RunJournal[]) : [];
    } catch {
      return [];
    }
  };
  const write = (journals: RunJournal[]) => storage.setItem(key, JSON.stringify(journals.slice(0, MAX_RUNS)));
  return {
    save(journal) {
      const others = read().filter((item) => item.runId !== journal.runId);
      write([{ ...journal, updatedAt: new Date().toISOString() }, ...others]);
    },
    list: read,
    remove(runId) {
      write(read().filter((item) => item.runId !== runId));
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
