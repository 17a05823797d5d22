import type { RunResult } from '../remediation/execute.ts';
import type { Plan } from '../remediation/types.ts';
import type { UndoResult } from '../remediation/undo.ts';
import type { ClientProof } from '../remediation/verify.ts';

/** The exit codes of `fix`, documented in the README. */
export const FIX_EXIT = {
  /** Applied and verified, undone, or a plan without changes. */
  ok: 0,
  /** `--plan`: the plan has changes. */
  changes: 1,
  /** Could not run: usage, sign-in, another server or realm, a bad file, an undo not confirmed. */
  cannotRun: 2,
  /** The realm changed since the plan (or the run) in a way that needs a new plan; nothing written. */
  stale: 3,
  /** A write failed and everything written was undone. */
  rolledBack: 4,
  /** Something is left in Keycloak that should not be (see the journal), or a token lacks its audience. */
  leftBehind: 5,
} as const;

export type FixExitCode = (typeof FIX_EXIT)[keyof typeof FIX_EXIT];

export const planExitCode = (plan: Plan): FixExitCode => (plan.steps.length > 0 ? FIX_EXIT.changes : FIX_EXIT.ok);

/** The proofs whose token Keycloak generated without the expected audience. */
export const lackingProofs = (proofs: ClientProof[]) => proofs.filter((proof) => proof.expectedInToken === false);

/**
 * An apply, after its verification (`proofs`, for an applied run). A proof without a token (none could be
 * generated) does not fail the run: it is reported as unverified.
 */
export function applyExitCode(result: Pick<RunResult, 'status' | 'rollback'>, proofs: ClientProof[] = []) {
  switch (result.status) {
    case 'applied':
      return lackingProofs(proofs).length > 0 ? FIX_EXIT.leftBehind : FIX_EXIT.ok;
    case 'nothing-to-do':
      return FIX_EXIT.ok;
    case 'changed':
      return FIX_EXIT.stale;
    case 'refused':
      return FIX_EXIT.cannotRun;
    case 'failed':
    case 'cancelled':
      // No roll-back report: the run stopped before its first write (the realm could not be read).
      if (!result.rollback) return FIX_EXIT.cannotRun;
      return result.rollback.left.length > 0 ? FIX_EXIT.leftBehind : FIX_EXIT.rolledBack;
  }
}

export function undoExitCode(result: Pick<UndoResult, 'status'>): FixExitCode {
  switch (result.status) {
    case 'undone':
    case 'nothing-to-undo':
      return FIX_EXIT.ok;
    case 'refused':
      return FIX_EXIT.stale;
    case 'partly-undone':
      return FIX_EXIT.leftBehind;
  }
}
