import type { RunJournal } from './journal-schema.ts';

/** Run ids being applied in this page right now; kept apart so that screens can ask without loading the executor. */
const active = new Set<string>();

export const activeRuns = (): ReadonlySet<string> => new Set(active);

export function markRunActive(runId: string): void {
  active.add(runId);
}

export function markRunFinished(runId: string): void {
  active.delete(runId);
}

/** A journal last saved as running belongs to a run that no longer runs once the page is loaded anew. */
export function interruptedRuns(journals: RunJournal[], active: ReadonlySet<string>): RunJournal[] {
  return journals.filter((journal) => journal.state === 'running' && !active.has(journal.runId));
}
