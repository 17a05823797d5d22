import type { JournalStep, RunJournal } from './journal-schema.ts';
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

/** Whether a run's journal fits in the storage left, and if not, how far off it is (sizes in characters). */
export interface JournalRoom {
  /** The run's journal at its end, margin included. */
  needed: number;
  /** What the storage has left. */
  left: number;
  used: number;
  quota: number;
  fits: boolean;
  /** The clients of the plan. */
  clients: number;
  /** How many of them fit in one run now (0 when not even one does). */
  clientsPerRun: number;
}

/**
 * Where journals live; each save replaces the run's previous copy. A save may throw (storage full): the
 * executor then stops the run and keeps the journal in memory.
 */
export interface JournalStore {
  save(journal: RunJournal): void;
  list(): RunJournal[];
  remove(runId: string): void;
  /** Whether the journal of a run of this plan fits, for a store with limited room; none means it always does. */
  room?(plan: Plan): JournalRoom;
}

/** A run that has not finished (running here, or interrupted): its journal is all that can roll it back. */
export const unfinished = (journal: Pick<RunJournal, 'state'>) =>
  journal.state === 'running' || journal.state === 'interrupted';

/** Steps whose write may be in Keycloak now, latest first: the ones an undo or rollback must look at. */
export function stepsToUndo(journal: RunJournal): JournalStep[] {
  return journal.steps
    .filter((step) => step.status === 'written' || step.status === 'writing' || step.status === 'undo-failed')
    .sort((left, right) => (right.at ?? '').localeCompare(left.at ?? '') || right.index - left.index);
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
