import type { RunProgress, RunResult } from '../remediation/execute.ts';
import { type PlanFile, parsePlanFile, planOf } from '../remediation/plan-file.ts';
import { failureReason } from '../remediation/port.ts';
import type { RunSession } from '../remediation/session.ts';
import type { ClientProof } from '../remediation/verify.ts';
import type { RequirementsProof } from '../remediation/verify-requirements.ts';
import { CliFailure } from './failure.ts';
import { fileProblem, readText } from './files.ts';
import { applyExitCode, FIX_EXIT, lackingProofs } from './fix-exit-code.ts';
import type { ApplyCommand } from './fix-options.ts';
import { proofLines, rollbackLines, shellWord } from './fix-render.ts';
import { checkTarget, openSession } from './fix-session.ts';
import type { Io } from './io.ts';
import { fileJournalStore, mayHoldWrites, readJournalFile } from './journal-file.ts';

export function readPlanFile(io: Io, path: string): PlanFile {
  let text: string | undefined;
  try {
    text = readText(io.fs, path);
  } catch (error) {
    throw new CliFailure(`cannot read the plan file ${path}: ${fileProblem(error)}`);
  }
  if (text === undefined) throw new CliFailure(`there is no plan file ${path}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliFailure(`${path} is not JSON, so not a plan file of Audience Doctor`);
  }
  const parsed = parsePlanFile(value);
  if ('problem' in parsed) throw new CliFailure(`${path}: ${parsed.problem}`);
  return parsed.planFile;
}

/** The journal file must not hide the record of another run that may still have writes in Keycloak. */
function checkJournalFree(io: Io, path: string): void {
  const read = readJournalFile(io.fs, path);
  if ('problem' in read) throw new CliFailure(`${read.problem}; it is not overwritten: choose another --journal`);
  if ('journal' in read && mayHoldWrites(read.journal)) {
    throw new CliFailure(
      `the journal ${path} holds run ${read.journal.runId} (${read.journal.state}), whose writes may still be in Keycloak: undo it (fix --undo ${shellWord(path)}) or choose another --journal`,
    );
  }
}

/** One stderr line per write as it starts, so a long run shows where it is. */
const progressLine = (progress: RunProgress) =>
  progress.current === ''
    ? undefined
    : progress.rollingBack
      ? `  rolling back: ${progress.current}\n`
      : `  [${progress.done}/${progress.total} done] ${progress.current}\n`;

/** After a requirements run: each attribute read back, and the verdicts the new requirements give. */
async function requirementsVerified(io: Io, session: RunSession, result: RunResult, journalFile: string) {
  let proofs: RequirementsProof[];
  try {
    ({ proofs } = await session.verifyRequirements(result.plan));
  } catch (error) {
    io.err(`warning: applied, but could not read the realm again: ${failureReason(error)}\n`);
    return FIX_EXIT.ok;
  }
  io.out(`\nVerification: each attribute as Keycloak holds it now, and the client's verdict:\n`);
  for (const proof of proofs) {
    const held = `  ${proof.clientId}: ${proof.attribute} = ${proof.now ?? '(absent)'}`;
    if (proof.callers) {
      const callers = proof.callers.map((item) => `${item.clientId} (${item.status ?? 'not judged'})`).join(', ');
      io.out(`${held} → ${callers ? `required in the tokens of ${callers}` : 'required of no caller'}\n`);
      continue;
    }
    const statuses = proof.requirements.map((item) => `${item.status} ${item.audience}`).join('; ');
    io.out(`${held} → ${proof.verdict ?? 'gone'}${statuses ? ` (${statuses})` : ''}\n`);
  }
  const wrong = proofs.filter((proof) => proof.now !== proof.written);
  if (wrong.length === 0) return FIX_EXIT.ok;
  io.err(
    `error: applied, but Keycloak holds another value for ${wrong.map((proof) => proof.clientId).join(', ')}. The journal ${journalFile} can undo the run: audience-doctor fix --undo ${shellWord(journalFile)}\n`,
  );
  return FIX_EXIT.leftBehind;
}

async function verified(io: Io, session: RunSession, result: RunResult, journalFile: string): Promise<number> {
  const { plan } = result;
  if (plan.strategy === 'requirements') return requirementsVerified(io, session, result, journalFile);
  let proofs: ClientProof[];
  try {
    ({ proofs } = await session.verify({ realm: plan.realm, fixes: plan.fixes, audience: plan.audience }));
  } catch (error) {
    io.err(`warning: applied, but could not verify: ${failureReason(error)}\n`);
    return FIX_EXIT.ok;
  }
  io.out(`\nVerification: an example access token Keycloak generates now, per fixed client:\n`);
  io.out(`${proofLines(proofs).join('\n')}\n`);
  for (const proof of proofs.filter((item) => item.expectedInToken === undefined)) {
    io.err(`warning: could not verify ${proof.clientId}: ${proof.problem ?? 'no token'}\n`);
  }
  const lacking = lackingProofs(proofs);
  if (lacking.length > 0) {
    io.err(
      `error: applied, but the token of ${lacking.map((proof) => `${proof.clientId} lacks "${proof.expected}"`).join(', ')} in aud. The journal ${journalFile} can undo the run: audience-doctor fix --undo ${shellWord(journalFile)}\n`,
    );
  }
  return applyExitCode(result, proofs);
}

/**
 * `fix --apply`: the realm is read again and planned again from the file's request; nothing is written
 * unless the writes are exactly the file's. Then the same run as the dashboard's: journaled before and
 * after every write, rolled back on a failure or an interrupt, and verified with generated tokens.
 */
export async function runApply(options: ApplyCommand, io: Io): Promise<number> {
  const { url } = options.connection;
  const file = readPlanFile(io, options.planFile);
  checkTarget(`the plan ${options.planFile}`, file, url, options.realm);
  checkJournalFree(io, options.journalFile);

  const stop = new AbortController();
  const journal = fileJournalStore(io.fs, options.journalFile, (reason) => {
    io.err(`error: cannot write the journal ${options.journalFile} (${reason}): stopping the run and undoing it\n`);
    stop.abort();
  });
  const session = await openSession(options.connection, { journal, concurrency: options.concurrency });
  const stopOnInterrupt = io.onInterrupt(() => {
    io.err('Interrupted: stopping, then undoing what this run wrote…\n');
    stop.abort();
  });
  let result: RunResult;
  try {
    result = await session.apply(planOf(file), {
      exact: true,
      consent: file.crossTrustAccepted,
      signal: stop.signal,
      onProgress: (progress) => {
        const line = progressLine(progress);
        if (line) io.err(line);
      },
    });
  } finally {
    stopOnInterrupt();
  }

  switch (result.status) {
    case 'applied':
      io.out(`${result.message} Journal: ${options.journalFile}\n`);
      return verified(io, session, result, options.journalFile);
    case 'nothing-to-do':
      io.out(`${result.message}\n`);
      return applyExitCode(result);
    case 'changed':
      io.err(
        `error: the realm changed since the plan was made; nothing was written. Plan again (fix --plan) and review the new plan.\n  ${result.message}\n`,
      );
      return applyExitCode(result);
    case 'refused':
      io.err(`error: ${result.message} Nothing was written.\n`);
      return applyExitCode(result);
    case 'failed':
    case 'cancelled': {
      const code = applyExitCode(result);
      io.err(`error: ${rollbackLines(result).join('\n')}\n`);
      if (code === FIX_EXIT.leftBehind) {
        io.err(
          `error: not everything could be undone; the journal ${options.journalFile} says what is left. Try again later with: audience-doctor fix --undo ${shellWord(options.journalFile)}\n`,
        );
      }
      return code;
    }
  }
}
