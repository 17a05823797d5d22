import pLimit from 'p-limit';
import { auditRealm } from '../audit/audit-realm.ts';
import { markRunActive, markRunFinished } from './active-runs.ts';
import { Ids } from './ids.ts';
import { type JournalStore, newJournal, type RunJournal } from './journal.ts';
import { roomProblem } from './journal-size.ts';
import { planFix } from './plan.ts';
import { failureReason, type RemediationApi } from './port.ts';
import type { Plan, PlanStep, Write } from './types.ts';
import { applyWrite, describeWrite, kindOf } from './write-kinds/index.ts';
import type { CreatedObject, StepOutcome } from './write-kinds/kind.ts';

export type { CreatedObject, StepOutcome } from './write-kinds/kind.ts';

export interface DoneStep {
  index: number;
  step: PlanStep;
  outcome: StepOutcome;
  /** The id Keycloak gave to an object this step created. */
  createdId?: string;
}

export interface RollbackReport {
  undone: string[];
  /** What stays in Keycloak because its undo failed, with the reason. */
  left: { what: string; reason: string }[];
}

export type RunStatus =
  /** Every step done. */
  | 'applied'
  /** The fresh plan has no steps: the clients are fixed already. */
  | 'nothing-to-do'
  /** The realm changed since the preview in a way that needs a new preview; nothing written. */
  | 'changed'
  /** A shared scope without the admin's consent; nothing written. */
  | 'refused'
  /** A step failed; what was written has been undone (see rollback). */
  | 'failed'
  /** Stopped by the admin; what was written has been undone (see rollback). */
  | 'cancelled';

export interface RunResult {
  status: RunStatus;
  runId: string;
  /** The plan made from fresh data and applied (or that would have been). */
  plan: Plan;
  done: DoneStep[];
  created: CreatedObject[];
  /** Admin API writes this run sent that succeeded, undo writes included. */
  writes: number;
  message: string;
  rollback?: RollbackReport;
  /** The run's journal as this page holds it: complete even when the store could not keep it. */
  journal?: RunJournal;
  /** Why the store could not keep the journal (storage full): the run stopped there. */
  unsaved?: string;
}

export interface RunProgress {
  done: number;
  total: number;
  /** Writes that failed so far (the run then stops and rolls back). */
  failed: number;
  /** What is being written now. */
  current: string;
  /** Undoing after a failure or a cancel. */
  rollingBack: boolean;
}

export interface RunOptions {
  /** The admin agreed that services of a shared scope accept each other's tokens. */
  consent?: boolean;
  onProgress?: (progress: RunProgress) => void;
  /** How many clients are written to at once (default 4). */
  concurrency?: number;
  /** Cancelling stops the run, then undoes what it wrote. */
  signal?: AbortSignal;
  /** Saved before and after every write, so an interrupted run can be rolled back later. */
  journal?: JournalStore;
  /** The Keycloak the journal names. */
  keycloakUrl?: string;
  /**
   * Apply the fresh plan even if it differs from the preview: for resuming an interrupted run, whose
   * written steps make the fresh plan shorter or reuse what the run created.
   */
  acceptFreshPlan?: boolean;
  /** Refuse unless the fresh plan's writes are exactly the preview's (a plan file applied later). */
  exact?: boolean;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * Plans again from what Keycloak holds now. The preview must still cover every step, and every client
 * it was going to fix must still exist.
 */
async function freshPlan(
  api: RemediationApi,
  preview: Plan,
): Promise<{ plan: Plan; unexpected: PlanStep[]; dropped: PlanStep[]; gone: string[] }> {
  const snapshot = await api.loadSnapshot(preview.realm);
  const plan = planFix(snapshot, auditRealm(snapshot), preview.request.clientIds, preview.request.options);
  const key = (step: PlanStep) => JSON.stringify(step.write);
  const previewed = new Set(preview.steps.map(key));
  const fresh = new Set(plan.steps.map(key));
  const existing = new Set(snapshot.clients.map((client) => client.clientId));
  return {
    plan,
    unexpected: plan.steps.filter((step) => !previewed.has(key(step))),
    dropped: preview.steps.filter((step) => !fresh.has(key(step))),
    gone: preview.fixes.filter((clientId) => !existing.has(clientId)),
  };
}

type Indexed = { index: number; step: PlanStep };

/**
 * Steps that serve several clients (a shared scope) come first, one by one; then each client's own
 * steps, in order, with several clients at once.
 */
function chains(steps: PlanStep[]): { shared: Indexed[]; perClient: Indexed[][] } {
  const indexed = steps.map((step, index) => ({ index, step }));
  const perClient = new Map<string, Indexed[]>();
  for (const item of indexed) {
    if (item.step.clientIds.length !== 1) continue;
    const key = item.step.clientIds[0] as string;
    perClient.set(key, [...(perClient.get(key) ?? []), item]);
  }
  return { shared: indexed.filter(({ step }) => step.clientIds.length !== 1), perClient: [...perClient.values()] };
}

class Run {
  readonly ids = new Ids();
  readonly done: DoneStep[] = [];
  writes = 0;
  failure: { index: number; reason: string } | undefined;
  /** The first save the store refused: no write is sent without its journal kept, so the run stops. */
  unsaved: string | undefined;
  readonly journal: RunJournal;

  constructor(
    readonly api: RemediationApi,
    readonly plan: Plan,
    readonly options: RunOptions,
  ) {
    this.journal = newJournal(plan, options.keycloakUrl ?? '');
    this.save();
  }

  get stopping() {
    return this.failure !== undefined || this.unsaved !== undefined || this.options.signal?.aborted === true;
  }

  save() {
    try {
      this.options.journal?.save(this.journal);
    } catch (error) {
      this.unsaved ??= failureReason(error);
    }
  }

  progress(current: string, rollingBack = false) {
    this.options.onProgress?.({
      done: this.done.length,
      total: this.plan.steps.length,
      failed: this.failure ? 1 : 0,
      current,
      rollingBack,
    });
  }

  mark(index: number, patch: Partial<RunJournal['steps'][number]>) {
    const step = this.journal.steps[index];
    if (step) Object.assign(step, { ...patch, at: new Date().toISOString() });
    this.save();
  }

  async step(index: number, step: PlanStep) {
    if (this.stopping) return;
    this.progress(describeWrite(step.write));
    this.mark(index, { status: 'writing' });
    try {
      const applied = await applyWrite(this.api, this.plan.realm, step.write, this.ids);
      this.writes += applied.writes;
      this.done.push({ index, step, outcome: applied.outcome, createdId: applied.createdId });
      this.mark(index, { status: applied.outcome, createdId: applied.createdId });
    } catch (error) {
      const reason = failureReason(error);
      this.failure ??= { index, reason };
      this.mark(index, { status: 'pending', problem: reason });
    }
  }

  async rollBack(): Promise<RollbackReport> {
    const report: RollbackReport = { undone: [], left: [] };
    // Latest first: a scope's links go before the scope.
    for (const item of [...this.done].reverse()) {
      if (item.outcome !== 'written') continue;
      this.progress(describeWrite(item.step.undo), true);
      try {
        this.writes += (await applyWrite(this.api, this.plan.realm, item.step.undo, this.ids)).writes;
        report.undone.push(describeWrite(item.step.write));
        this.mark(item.index, { status: 'undone' });
      } catch (error) {
        const reason = failureReason(error);
        report.left.push({ what: describeWrite(item.step.write), reason });
        this.mark(item.index, { status: 'undo-failed', problem: reason });
      }
    }
    return report;
  }

  finish(state: RunJournal['state'], message: string) {
    this.journal.state = state;
    this.journal.message = message;
    this.save();
  }
}

async function run(api: RemediationApi, preview: Plan, options: RunOptions): Promise<RunResult> {
  const base = { runId: preview.runId, done: [] as DoneStep[], created: [] as CreatedObject[], writes: 0 };
  if (preview.requiresConsent && !options.consent) {
    return {
      ...base,
      status: 'refused',
      plan: preview,
      message: 'A shared scope makes these services accept each other’s tokens: confirm that first.',
    };
  }
  const { plan, unexpected, dropped, gone } = await freshPlan(api, preview);
  const change =
    gone.length > 0
      ? `${gone.map((clientId) => `"${clientId}"`).join(', ')} no longer exist${gone.length === 1 ? 's' : ''} in realm ${plan.realm} (deleted since the audit?)`
      : unexpected.length > 0
        ? `The realm changed since the preview (${unexpected.map((step) => describeWrite(step.write)).join('; ')})`
        : options.exact && dropped.length > 0
          ? `The realm changed since the plan was made (no longer needed: ${dropped.map((step) => describeWrite(step.write)).join('; ')})`
          : undefined;
  if (change && !options.acceptFreshPlan) {
    return { ...base, status: 'changed', plan, message: `${change}. Nothing was written: review the new preview.` };
  }
  if (plan.steps.length === 0) {
    // The skipped reasons tell "fixed already" from "deleted since the audit".
    const message =
      plan.skipped.length > 0
        ? `Nothing was written. ${plan.skipped.map((item) => `${item.clientId}: ${item.reason}`).join(' ')}`
        : 'Nothing to write: these clients are fixed already.';
    return { ...base, status: 'nothing-to-do', plan, message };
  }

  const room = options.journal?.room?.(plan);
  if (room && !room.fits) {
    return { ...base, status: 'refused', plan, message: `${roomProblem(room)} Nothing was written.` };
  }

  const state = new Run(api, plan, options);
  const kept = () => ({ journal: state.journal, unsaved: state.unsaved });
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const { shared, perClient } = chains(plan.steps);
  for (const { index, step } of shared) await state.step(index, step);
  await Promise.all(
    perClient.map((chain) =>
      limit(async () => {
        for (const { index, step } of chain) await state.step(index, step);
      }),
    ),
  );

  if (state.stopping) {
    const rollback = await state.rollBack();
    const left =
      rollback.left.length === 0
        ? 'Everything this run wrote has been undone.'
        : `Could not undo: ${rollback.left.map((item) => `${item.what} (${item.reason})`).join('; ')}.`;
    const failed = state.failure;
    const message = state.unsaved
      ? `The run's journal could not be saved after ${state.done.length} of ${plan.steps.length} steps: ${state.unsaved.replace(/\.$/, '')}. The run stopped there. ${left} Download the journal from this report: this browser could not keep it.`
      : failed
        ? `Step ${failed.index + 1} of ${plan.steps.length} failed (${describeWrite(plan.steps[failed.index]?.write as Write)}): ${failed.reason.replace(/\.$/, '')}. ${left}`
        : `Cancelled after ${state.done.length} of ${plan.steps.length} steps. ${left}`;
    state.finish(rollback.left.length === 0 ? 'rolled-back' : 'partly-rolled-back', message);
    return {
      ...base,
      status: failed || state.unsaved ? 'failed' : 'cancelled',
      plan,
      done: state.done,
      writes: state.writes,
      message,
      rollback,
      ...kept(),
    };
  }

  state.progress('');
  const created = state.done.flatMap((item) => {
    const object = item.createdId ? kindOf(item.step.write).created(item.step.write, item.createdId) : undefined;
    return object ? [object] : [];
  });
  const message = `Applied ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} for ${plan.fixes.length} client${plan.fixes.length === 1 ? '' : 's'}.`;
  state.finish('applied', message);
  // Only the closing save failed: everything is written, and the browser keeps the run as interrupted.
  const unsavedEnd = state.unsaved
    ? ` Its journal's last save failed (${state.unsaved.replace(/\.$/, '')}): download the journal from this report.`
    : '';
  return {
    ...base,
    status: 'applied',
    plan,
    done: state.done,
    created,
    writes: state.writes,
    message: message + unsavedEnd,
    ...kept(),
  };
}

const inFlight = new Map<string, Promise<RunResult>>();

/**
 * Applies a previewed plan: re-reads the realm, re-plans, writes step by step (several clients at
 * once), and on a failure or a cancel undoes what it wrote. A second call for the same run while the
 * first is busy gets the first one's result.
 */
export function executePlan(api: RemediationApi, preview: Plan, options: RunOptions = {}): Promise<RunResult> {
  const running = inFlight.get(preview.runId);
  if (running) return running;
  const result = run(api, preview, options)
    .catch((error: unknown): RunResult => {
      return {
        status: 'failed',
        runId: preview.runId,
        plan: preview,
        done: [],
        created: [],
        writes: 0,
        message: `Could not read the realm before applying: ${failureReason(error).replace(/\.$/, '')}. Nothing was written.`,
      };
    })
    .finally(() => {
      inFlight.delete(preview.runId);
      markRunFinished(preview.runId);
    });
  inFlight.set(preview.runId, result);
  markRunActive(preview.runId);
  return result;
}
