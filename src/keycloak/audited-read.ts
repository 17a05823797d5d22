import type { RealmAudit } from '../audit/findings.ts';
import { createPartialAuditor, type Pending } from '../audit/partial-audit.ts';
import type { RequirementLists } from '../audit/requirements.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import type { AdminClient } from './admin.ts';
import { loadSnapshot, type SnapshotOptions, type SnapshotProgress } from './snapshot.ts';

/** The verdicts so far, while the clients are read. */
export interface AuditSoFar {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
  /** Client id (uuid) → what its verdict still waits for. */
  waiting: Map<string, Pending[]>;
}

export interface AuditedReadOptions extends Omit<SnapshotOptions, 'onProgress'> {
  /**
   * Told the verdicts so far: as soon as the first clients are in, then at most once per `intervalMs`, and
   * less often when an update (with what it sets off, such as a repaint) takes longer than a third of that.
   */
  onAudit?: (progress: AuditSoFar) => void;
  intervalMs?: number;
  /** Requirements that win over the clients' attribute: clientId → audiences. */
  requirements?: RequirementLists;
}

export interface AuditedRealmRead {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
}

const DEFAULT_INTERVAL_MS = 150;
/**
 * Updates take at most this share of the time while pages arrive: the pages' answers are handled on the same
 * thread, so an update that blocks it holds back the next requests (in Chromium a repaint of the table took
 * 60–150 ms; at 2,000 clients, one every 150 ms held the thread for 1.1 s of a 2.5 s read).
 */
const UPDATE_SHARE = 1 / 3;

/**
 * A realm read and audited at once: clients are judged while later pages are still on their way, so that
 * once the last page is in only the verdicts that waited for it are left to make (at 5,000 clients the
 * whole audit takes longer than the last pages).
 */
export async function readAudited(
  admin: AdminClient,
  realm: string,
  options: AuditedReadOptions = {},
): Promise<AuditedRealmRead> {
  const { onAudit, intervalMs = DEFAULT_INTERVAL_MS, requirements, ...snapshotOptions } = options;
  const { signal } = options;
  const auditPartial = createPartialAuditor({ requirements });
  let last: SnapshotProgress | undefined;
  let lastRun = Number.NEGATIVE_INFINITY;
  let lastCost = 0;
  let rolesPendingAtLastRun = Number.POSITIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    if (!last || signal?.aborted) return;
    const started = performance.now();
    lastRun = started;
    rolesPendingAtLastRun = last.scopeRolesPending;
    const { clientsComplete } = last;
    const { snapshot, pendingScopeIds } = last.current();
    const { audit, waiting } = auditPartial(snapshot, { clientsComplete, pendingScopeIds });
    onAudit?.({ snapshot, audit, waiting });
    // What the update set off in tasks of its own (a repaint scheduled by the query cache) runs before this.
    setTimeout(() => {
      lastCost = performance.now() - started;
    }, 0);
  };
  // The last scope roles in make every verdict that waited for them final: that update keeps to the interval
  // only, not to the share (after the first repaint of the table the share held it back about 0.6 s). Its delay
  // is never longer than that of an update already waiting, so it replaces that one.
  const schedule = (progress: SnapshotProgress) => {
    last = progress;
    const rolesJustIn = progress.scopeRolesPending === 0 && rolesPendingAtLastRun > 0;
    if (timer !== undefined && !rolesJustIn) return;
    clearTimeout(timer);
    const gap = rolesJustIn ? intervalMs : Math.max(intervalMs, lastCost / UPDATE_SHARE);
    timer = setTimeout(run, Math.max(0, lastRun + gap - performance.now()));
  };
  try {
    const snapshot = await loadSnapshot(admin, realm, {
      ...snapshotOptions,
      // Nobody to tell: one audit at the end costs less than the updates, whose work competes with Keycloak's
      // on the same machine (bench-paging prints the subject's CPU time per run).
      onProgress: onAudit ? schedule : undefined,
    });
    // The verdicts made final while reading are kept: only the ones still waiting are judged again.
    return { snapshot, audit: auditPartial(snapshot, { clientsComplete: true, pendingScopeIds: [] }).audit };
  } finally {
    clearTimeout(timer);
  }
}
