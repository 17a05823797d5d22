import { parseRequirementList } from '../../audit/requirements.ts';

/**
 * What a requirements run is to write, kept in sessionStorage under its run id rather than in the URL.
 * An imported file can name hundreds of clients with several audiences each: as URL parameters that is a
 * link too long to share and a history entry per keystroke of the wizard. sessionStorage survives a reload
 * of this tab (so the wizard reopens at its step with the same lists), is not shared with other tabs, and
 * is keyed by run id, so two wizards never mix. Once a run has started its journal holds the same request,
 * so a run is shown even where the draft is gone.
 */
export interface RequirementsDraft {
  realm: string;
  /** clientId → the audiences its tokens must carry; null takes the attribute away (the default rule). */
  requirements: Record<string, string[] | null>;
  /** The clients a finished run of this draft wrote: no longer pending in the page behind the wizard. */
  written: string[];
}

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const PREFIX = 'audience-doctor.requirements-draft:';

function storage(): DraftStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Storage switched off for this site: the wizard then works until the page is reloaded.
    return undefined;
  }
}

const memory = new Map<string, RequirementsDraft>();

/** A stored draft, checked as strictly as a requirements file: anything else is no draft. */
export function parseDraft(text: string | null): RequirementsDraft | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { realm, requirements, written } = value as Record<string, unknown>;
  if (typeof realm !== 'string' || !requirements || typeof requirements !== 'object' || Array.isArray(requirements)) {
    return undefined;
  }
  const lists: Record<string, string[] | null> = {};
  for (const [clientId, list] of Object.entries(requirements)) {
    if (list === null) {
      lists[clientId] = null;
      continue;
    }
    const parsed = parseRequirementList(list);
    if (!parsed.ok) return undefined;
    lists[clientId] = parsed.audiences;
  }
  const done = Array.isArray(written) ? written.filter((item): item is string => typeof item === 'string') : [];
  return { realm, requirements: lists, written: done };
}

export function saveRequirementsDraft(runId: string, draft: RequirementsDraft, store = storage()): void {
  memory.set(runId, draft);
  try {
    store?.setItem(PREFIX + runId, JSON.stringify(draft));
  } catch {
    // Full or switched off: the copy in memory serves this page.
  }
}

export function loadRequirementsDraft(runId: string, store = storage()): RequirementsDraft | undefined {
  let stored: string | null = null;
  try {
    stored = store?.getItem(PREFIX + runId) ?? null;
  } catch {
    stored = null;
  }
  return parseDraft(stored) ?? memory.get(runId);
}

export function removeRequirementsDraft(runId: string, store = storage()): void {
  memory.delete(runId);
  try {
    store?.removeItem(PREFIX + runId);
  } catch {
    // Nothing to remove where nothing could be stored.
  }
}
