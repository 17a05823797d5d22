import { auditRealm } from '../audit/audit-realm.ts';
import type { AudienceHolder, ClientAudit, RealmAudit } from '../audit/findings.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { DEFAULT_CONCURRENCY, executePlan, type RunOptions, type RunResult } from './execute.ts';
import type { JournalStore, RunJournal } from './journal.ts';
import { planFix, suggestedStrategy } from './plan.ts';
import { failureReason, type RemediationApi, type TokenUser } from './port.ts';
import { audienceHolders, predictedAfter, predictedHolders } from './predict.ts';
import { newRunId } from './run-id.ts';
import type { FixRequest, Plan, Strategy } from './types.ts';
import { type UndoResult, undoRun } from './undo.ts';
import { type Verification, verifyFix } from './verify.ts';
import { type RequirementsProof, verifyRequirements } from './verify-requirements.ts';

/** The realm as read, and the engine's audit of it: what every plan starts from. */
export interface RealmState {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
}

export interface Prediction {
  /** The verdicts of the fixed clients once the plan is applied. */
  after: Map<string, ClientAudit>;
  /** Cross-client: who carries the API's audience now, and after. */
  holders?: { before: AudienceHolder[]; after: AudienceHolder[] };
}

export interface SessionOptions {
  api: RemediationApi;
  /** The Keycloak the journals name. */
  keycloakUrl: string;
  journal?: JournalStore;
  /** How many clients are written to or verified at once. */
  concurrency?: number;
}

export type ApplyOptions = Pick<RunOptions, 'consent' | 'onProgress' | 'signal' | 'exact'>;

/** What a finished run fixed, for its verification. */
export interface RunToVerify {
  realm: string;
  fixes: string[];
  audience?: string;
}

/**
 * The fix workflow, outside any screen: suggest → plan → predict → apply → verify, and resume, roll back or
 * undo a journaled run. The dashboard's wizard and runs panel and the CLI all go through it.
 */
export interface RunSession {
  read(realm: string): Promise<RealmState>;
  /** The strategy to offer first, and whether repair is possible at all. */
  suggest(
    state: RealmState,
    clientIds: string[],
  ): { strategy: Extract<Strategy, 'repair' | 'dedicated-mapper'>; repairable: boolean };
  plan(state: RealmState, request: FixRequest): Plan;
  predict(state: RealmState, plan: Plan): Prediction;
  apply(plan: Plan, options?: ApplyOptions): Promise<RunResult>;
  verify(run: RunToVerify, user?: TokenUser): Promise<Verification>;
  /** After a requirements run: each attribute as Keycloak holds it now, and the verdicts it gives. */
  verifyRequirements(plan: Plan): Promise<{ audit: RealmAudit; proofs: RequirementsProof[] }>;
  /** Continues an interrupted run from what Keycloak holds now, as a new run. */
  resume(journal: RunJournal): Promise<RunResult>;
  /** Puts back what a run wrote: an undo after success, a roll-back after an interruption. */
  undo(journal: RunJournal): Promise<UndoResult>;
}

export function predict(state: RealmState, plan: Plan): Prediction {
  const after = predictedAfter(state.snapshot, plan);
  if (plan.audience === undefined) return { after };
  return {
    after,
    holders: {
      before: audienceHolders(state.snapshot, plan.audience, state.audit),
      after: predictedHolders(state.snapshot, plan),
    },
  };
}

/**
 * An interrupted run, continued: planned again from its request and what Keycloak holds now (its written
 * steps make the new plan shorter or reuse what it created), applied as a new run, and the old journal
 * marked as resumed. The consent a shared scope needs was given when the run first started.
 */
export async function resumeRun(
  api: RemediationApi,
  journal: RunJournal,
  options: Omit<RunOptions, 'acceptFreshPlan' | 'consent'> = {},
): Promise<RunResult> {
  const runId = `${journal.runId}-resumed-${newRunId().slice(-4)}`;
  const request: FixRequest = { ...journal.request, options: { ...journal.request.options, runId } };
  const snapshot = await api.loadSnapshot(journal.realm);
  const plan = planFix(snapshot, auditRealm(snapshot), request.clientIds, request.options);
  const result = await executePlan(api, plan, { ...options, acceptFreshPlan: true, consent: true });
  if (result.status === 'refused') return result;
  try {
    options.journal?.save({ ...journal, state: 'resumed', message: `Resumed as run ${runId}: ${result.message}` });
  } catch (error) {
    // The new run is over either way; the old journal stays as it was, interrupted, for another look.
    return {
      ...result,
      message: `${result.message} The interrupted run's journal could not be marked as resumed: ${failureReason(error)}`,
    };
  }
  return result;
}

export function createRunSession({
  api,
  keycloakUrl,
  journal,
  concurrency = DEFAULT_CONCURRENCY,
}: SessionOptions): RunSession {
  const runOptions = { journal, keycloakUrl, concurrency };
  return {
    async read(realm) {
      const snapshot = await api.loadSnapshot(realm);
      return { snapshot, audit: auditRealm(snapshot) };
    },
    suggest: ({ snapshot, audit }, clientIds) => ({
      strategy: suggestedStrategy(snapshot, audit, clientIds),
      repairable: planFix(snapshot, audit, clientIds, { strategy: 'repair', runId: 'suggestion' }).fixes.length > 0,
    }),
    plan: ({ snapshot, audit }, request) => planFix(snapshot, audit, request.clientIds, request.options),
    predict,
    apply: (plan, options = {}) => executePlan(api, plan, { ...runOptions, ...options }),
    verify: (run, user) =>
      verifyFix(api, { realm: run.realm, clientIds: run.fixes, audience: run.audience, user, concurrency }),
    verifyRequirements: (plan) => verifyRequirements(api, plan),
    resume: (run) => resumeRun(api, run, runOptions),
    undo: (run) => undoRun(api, run, journal),
  };
}
