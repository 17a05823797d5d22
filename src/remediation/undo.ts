import { Ids } from './ids.ts';
import { type JournalStore, type RunJournal, stepsToUndo } from './journal.ts';
import { failureReason, type RemediationApi } from './port.ts';
import { applyWrite, describeWrite, kindOf } from './write-kinds/index.ts';

export interface UndoResult {
  status: 'undone' | 'refused' | 'partly-undone' | 'nothing-to-undo';
  message: string;
  undone: string[];
  left: { what: string; reason: string }[];
  writes: number;
}

/**
 * Puts back what a journaled run wrote: after success (undo), or after an interruption (rollback).
 * Keycloak is read first; if anything the run wrote was changed since, nothing is written at all.
 */
export async function undoRun(api: RemediationApi, journal: RunJournal, store?: JournalStore): Promise<UndoResult> {
  const snapshot = await api.loadSnapshot(journal.realm);
  const ids = new Ids();
  const candidates = stepsToUndo(journal).map((step) => ({
    step,
    presence: kindOf(step.write).presence(step.write, { snapshot, journal, createdId: step.createdId, ids }),
  }));
  const changed = candidates.flatMap(({ presence }) => (presence.state === 'changed' ? [presence.reason] : []));
  if (changed.length > 0) {
    return {
      status: 'refused',
      message: `Not undone, because it was changed since the run: ${changed.join('; ')}. Nothing was written.`,
      undone: [],
      left: [],
      writes: 0,
    };
  }
  const save = () => store?.save(journal);
  const result: UndoResult = { status: 'undone', message: '', undone: [], left: [], writes: 0 };
  for (const { step, presence } of candidates) {
    if (presence.state === 'absent') {
      step.status = 'undone';
      continue;
    }
    try {
      result.writes += (await applyWrite(api, journal.realm, step.undo, ids)).writes;
      step.status = 'undone';
      result.undone.push(describeWrite(step.write));
    } catch (error) {
      step.status = 'undo-failed';
      step.problem = failureReason(error);
      result.left.push({ what: describeWrite(step.write), reason: step.problem });
    }
    step.at = new Date().toISOString();
    save();
  }
  if (result.left.length > 0) {
    result.status = 'partly-undone';
    result.message = `Could not undo: ${result.left.map((item) => `${item.what} (${item.reason})`).join('; ')}.`;
    journal.state = 'partly-rolled-back';
  } else if (result.undone.length === 0) {
    result.status = 'nothing-to-undo';
    result.message = 'Nothing of this run is left in Keycloak.';
    journal.state = 'undone';
  } else {
    result.message = `Undone: ${result.undone.join('; ')}.`;
    journal.state = 'undone';
  }
  journal.message = result.message;
  save();
  return result;
}
