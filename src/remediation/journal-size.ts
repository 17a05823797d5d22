import { type JournalRoom, newJournal, type RunJournal } from './journal.ts';
import type { Plan } from './types.ts';

/**
 * What one origin may keep in localStorage, in UTF-16 code units (string length) of keys plus values.
 * Measured in Chromium 156 with Playwright (a binary search over `setItem` sizes on a blank page): the
 * 5,242,881st character, of any kind, throws QuotaExceededError, whether in one key or spread over several.
 * Firefox and Safari document 5 MiB per origin too. The browser-wide share is what counts: journals of every
 * realm and Keycloak, and anything else of the dashboard's origin, use it.
 */
export const STORAGE_QUOTA_CHARS = 5 * 1024 * 1024;

/** Room kept beyond the estimate: run and step messages (failure reasons), and clocks with longer times. */
const MARGIN_RATIO = 0.05;
const MARGIN_CHARS = 4096;

/** A UUID as Keycloak gives to what a step creates. */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const SAMPLE_TIME = '2000-01-01T00:00:00.000Z';

/**
 * The plan's journal as it is when the run is over: every step written, with its time and the id of what it
 * created, and the run's closing message. A failed run's journal is no larger: its undone steps replace
 * "written" by "undone".
 */
export function finishedJournal(plan: Plan, keycloakUrl: string): RunJournal {
  const journal = newJournal(plan, keycloakUrl, new Date(SAMPLE_TIME));
  return {
    ...journal,
    state: 'partly-rolled-back',
    message: `Applied ${plan.steps.length} steps for ${plan.fixes.length} clients.`,
    steps: journal.steps.map((step) => ({
      ...step,
      status: 'undo-failed',
      at: SAMPLE_TIME,
      ...(step.write.kind.startsWith('create-') ? { createdId: SAMPLE_ID } : {}),
    })),
  };
}

/** How many characters of storage the plan's journal takes at most, margin included. */
export function estimateJournalChars(plan: Plan, keycloakUrl: string): number {
  const exact = JSON.stringify(finishedJournal(plan, keycloakUrl)).length;
  return Math.ceil(exact * (1 + MARGIN_RATIO)) + MARGIN_CHARS;
}

/** The plan cut down to its first `count` clients: what one smaller batch of the same fix would write. */
export function firstClients(plan: Plan, count: number): Plan {
  const kept = new Set(plan.fixes.slice(0, count));
  return {
    ...plan,
    fixes: plan.fixes.filter((clientId) => kept.has(clientId)),
    request: { ...plan.request, clientIds: plan.request.clientIds.filter((clientId) => kept.has(clientId)) },
    steps: plan.steps.filter((step) => step.clientIds.some((clientId) => kept.has(clientId))),
  };
}

export interface StorageUse {
  /** Characters the origin's storage holds now: every key and value. */
  used: number;
  quota: number;
  /** What adding an entry to the realm's journals costs beyond the journal itself (a new key, a comma). */
  overhead: number;
}

export function journalRoom(plan: Plan, keycloakUrl: string, use: StorageUse): JournalRoom {
  const left = Math.max(0, use.quota - use.used - use.overhead);
  const needed = estimateJournalChars(plan, keycloakUrl);
  const fitsWith = (count: number) => estimateJournalChars(firstClients(plan, count), keycloakUrl) <= left;
  let clientsPerRun = plan.fixes.length;
  if (needed > left) {
    // The largest batch that fits: sizes grow with the clients, so a binary search finds it.
    let low = 0;
    let high = plan.fixes.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fitsWith(middle)) low = middle;
      else high = middle - 1;
    }
    clientsPerRun = low;
  }
  return {
    needed,
    left,
    used: use.used,
    quota: use.quota,
    fits: needed <= left,
    clients: plan.fixes.length,
    clientsPerRun,
  };
}

/** Characters of stored text as a size: one character of JSON is one byte of the downloaded file (mostly). */
export function formatChars(chars: number): string {
  if (chars < 1024 * 1024) return `${Math.max(1, Math.round(chars / 1024))} kB`;
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why a run whose journal does not fit is not started, and the ways out. */
export function roomProblem(room: JournalRoom): string {
  const batches =
    room.clientsPerRun > 0
      ? `apply it in smaller batches (about ${room.clientsPerRun} of these ${room.clients} clients fit in one run now)`
      : 'clear space first (not even one of these clients fits now)';
  return (
    `This run's journal would take about ${formatChars(room.needed)}, and this browser has ${formatChars(room.left)} left ` +
    `(${formatChars(room.used)} of its ${formatChars(room.quota)} are used). To go on, ${batches}, ` +
    'or download and clear old journals in Recent runs.'
  );
}

/** What the origin's storage holds now, in characters: keys and values, as the browser counts its quota. */
export function storageUsed(storage: Storage): number {
  let used = 0;
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key !== null) used += key.length + (storage.getItem(key)?.length ?? 0);
  }
  return used;
}

/** Whether a failed `setItem` means the storage is full (names differ between browsers and versions). */
export function isQuotaError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}
