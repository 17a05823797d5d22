/** Run ids being applied in this page right now; kept apart so that screens can ask without loading the executor. */
const active = new Set<string>();

export const activeRuns = (): ReadonlySet<string> => new Set(active);

export function markRunActive(runId: string): void {
  active.add(runId);
}

export function markRunFinished(runId: string): void {
  active.delete(runId);
}
