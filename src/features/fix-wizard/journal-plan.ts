import type { RunJournal } from '../../remediation/journal.ts';
import type { Plan } from '../../remediation/types.ts';

/**
 * A run's plan as its journal keeps it: what a verification after a reload reads back (the page that
 * applied it is gone, and planning anew from the realm as it is now would find nothing left to write).
 */
export function planOfJournal(journal: RunJournal): Plan {
  return {
    realm: journal.realm,
    runId: journal.runId,
    strategy: journal.strategy,
    request: journal.request,
    steps: journal.steps.map((step) => ({ write: step.write, undo: step.undo, clientIds: step.clientIds })),
    fixes: journal.fixes,
    skipped: [],
    notes: [],
    crossAcceptance: [],
    requiresConsent: false,
  };
}
