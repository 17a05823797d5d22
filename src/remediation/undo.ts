import type { ClientRep, RealmSnapshot } from '../audit/snapshot.ts';
import type { RemediationApi } from '../keycloak/remediation-api.ts';
import { applyWrite, failureReason, Ids, sameMapper, sameScope, writeLabel } from './apply-write.ts';
import { type JournalStep, type JournalStore, type RunJournal, stepsToUndo } from './journal.ts';

/** Whether what a step wrote is still in Keycloak exactly as written. */
type Presence = { state: 'in-place' } | { state: 'absent' } | { state: 'changed'; reason: string };

export interface UndoResult {
  status: 'undone' | 'refused' | 'partly-undone' | 'nothing-to-undo';
  message: string;
  undone: string[];
  left: { what: string; reason: string }[];
  writes: number;
}

function clientOf(snapshot: RealmSnapshot, id: string): ClientRep | undefined {
  return snapshot.clients.find((client) => client.id === id);
}

/** Clients this run attached the scope to, whose links it may remove again. */
function linksOfRun(journal: RunJournal, scopeName: string): Set<string> {
  return new Set(
    journal.steps
      .filter((step) => step.write.kind === 'attach-default-scope' && step.write.scope.name === scopeName)
      .flatMap((step) => ('client' in step.write ? [step.write.client.id] : [])),
  );
}

function presence(step: JournalStep, snapshot: RealmSnapshot, journal: RunJournal, ids: Ids): Presence {
  const write = step.write;
  switch (write.kind) {
    case 'create-client-mapper': {
      const client = clientOf(snapshot, write.client.id);
      const mapper = client?.protocolMappers?.find((item) =>
        step.createdId ? item.id === step.createdId : item.name === write.mapper.name,
      );
      if (!mapper?.id) return { state: 'absent' };
      if (!sameMapper(mapper, write.mapper)) {
        return { state: 'changed', reason: `mapper "${write.mapper.name}" of "${write.client.clientId}" was changed` };
      }
      ids.setMapper(write.client.id, write.mapper.name, mapper.id);
      return { state: 'in-place' };
    }
    case 'create-scope': {
      const scope = snapshot.clientScopes.find((item) =>
        step.createdId
          ? item.id === step.createdId
          : item.name === write.scope.name && item.description === write.scope.description,
      );
      if (!scope) return { state: 'absent' };
      if (!sameScope(scope, write.scope) || scope.description !== write.scope.description) {
        return { state: 'changed', reason: `client scope "${write.scope.name}" was changed` };
      }
      const ours = linksOfRun(journal, write.scope.name);
      const others = snapshot.clients.filter(
        (client) =>
          !ours.has(client.id) &&
          (client.defaultClientScopes?.includes(scope.name) || client.optionalClientScopes?.includes(scope.name)),
      );
      if (others.length > 0) {
        return {
          state: 'changed',
          reason: `client scope "${scope.name}" is now also attached to ${others.map((client) => `"${client.clientId}"`).join(', ')}`,
        };
      }
      ids.setScope(scope.name, scope.id);
      return { state: 'in-place' };
    }
    case 'attach-default-scope':
      return clientOf(snapshot, write.client.id)?.defaultClientScopes?.includes(write.scope.name)
        ? { state: 'in-place' }
        : { state: 'absent' };
    case 'detach-optional-scope':
      return clientOf(snapshot, write.client.id)?.optionalClientScopes?.includes(write.scope.name)
        ? { state: 'absent' }
        : { state: 'in-place' };
    case 'update-client-mapper':
    case 'update-scope-mapper': {
      const mappers =
        write.kind === 'update-client-mapper'
          ? clientOf(snapshot, write.client.id)?.protocolMappers
          : snapshot.clientScopes.find((scope) => scope.name === write.scope.name)?.protocolMappers;
      const now = mappers?.find((mapper) => mapper.id === write.mapper.id);
      if (now && sameMapper(now, write.mapper)) return { state: 'in-place' };
      if (now && sameMapper(now, write.replaces)) return { state: 'absent' };
      return { state: 'changed', reason: `mapper "${write.mapper.name}" was changed or deleted` };
    }
    default:
      return { state: 'absent' };
  }
}

/**
 * Puts back what a journaled run wrote: after success (undo), or after an interruption (rollback).
 * Keycloak is read first; if anything the run wrote was changed since, nothing is written at all.
 */
export async function undoRun(api: RemediationApi, journal: RunJournal, store?: JournalStore): Promise<UndoResult> {
  const snapshot = await api.loadSnapshot(journal.realm);
  const ids = new Ids();
  const candidates = stepsToUndo(journal).map((step) => ({ step, presence: presence(step, snapshot, journal, ids) }));
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
      result.undone.push(writeLabel(step.write));
    } catch (error) {
      step.status = 'undo-failed';
      step.problem = failureReason(error);
      result.left.push({ what: writeLabel(step.write), reason: step.problem });
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
