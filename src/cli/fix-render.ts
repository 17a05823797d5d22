import type { ClientAudit } from '../audit/findings.ts';
import type { RunResult } from '../remediation/execute.ts';
import { describePlan } from '../remediation/render-human.ts';
import { kcadmScript } from '../remediation/render-kcadm.ts';
import { restCallsText } from '../remediation/render-rest.ts';
import { shellQuote } from '../remediation/shell.ts';
import type { CrossAcceptance, Plan } from '../remediation/types.ts';
import type { UndoResult } from '../remediation/undo.ts';
import type { ClientProof } from '../remediation/verify.ts';
import type { FixFormat } from './fix-options.ts';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const listed = (items: string[]) => items.join(', ');

/** "orders-web will accept access tokens issued to shop-spa, …": one line per service. */
export const acceptanceLines = (acceptance: CrossAcceptance[]) =>
  acceptance.map((item) => `${item.clientId} will accept access tokens issued to ${listed(item.accepts)}`);

/** What the changes do not show: who is left out and why, side effects, and who will trust whom. */
export function planAnnex(plan: Plan): string[] {
  const lines: string[] = [];
  if (plan.skipped.length > 0) {
    lines.push('', `Skipped (${plan.skipped.length}):`);
    for (const item of plan.skipped) lines.push(`  - ${item.clientId}: ${item.reason}`);
  }
  if (plan.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of plan.notes) lines.push(`  - ${note}`);
  }
  if (plan.crossAcceptance.length > 0 && plan.steps.length > 0) {
    lines.push('', 'Who accepts whose tokens afterwards:');
    for (const line of acceptanceLines(plan.crossAcceptance)) lines.push(`  - ${line}`);
  }
  return lines;
}

/** The plan in sentences: each change with how it is undone, and the verdicts the engine expects afterwards. */
export function humanPlan(plan: Plan, keycloakUrl: string, after?: Map<string, ClientAudit>): string[] {
  const where = `realm "${plan.realm}" at ${keycloakUrl}`;
  if (plan.steps.length === 0) return [`No changes for ${where}: nothing to write.`];
  const lines = [
    `Plan for ${where} (strategy ${plan.strategy}, run ${plan.runId}):`,
    `${plural(plan.steps.length, 'change')} for ${plural(plan.fixes.length, 'client')}: ${listed(plan.fixes)}.`,
    '',
  ];
  describePlan(plan).forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.text}`, `     undo: ${step.undo}`);
  });
  const verdicts = plan.audience === undefined && after ? [...after.values()] : [];
  if (verdicts.length > 0) {
    lines.push('', `Verdicts afterwards: ${listed(verdicts.map((item) => `${item.clientId} ${item.verdict}`))}.`);
  }
  return lines;
}

/**
 * The plan as printed: in sentences (human), or as the Admin API calls or kcadm.sh script alone on
 * stdout, so that it can be saved or piped; what else there is to say then goes to stderr.
 */
export function planOutput(
  plan: Plan,
  format: FixFormat,
  keycloakUrl: string,
  after?: Map<string, ClientAudit>,
): { out: string; err: string[] } {
  const annex = planAnnex(plan);
  switch (format) {
    case 'human':
      return { out: `${[...humanPlan(plan, keycloakUrl, after), ...annex].join('\n')}\n`, err: [] };
    case 'rest':
      return { out: restCallsText(plan, keycloakUrl), err: annex.filter(Boolean) };
    case 'kcadm':
      return { out: kcadmScript(plan, keycloakUrl), err: annex.filter(Boolean) };
  }
}

/** One line per fixed client: what Keycloak's token carries, and who judged. */
export function proofLines(proofs: ClientProof[]): string[] {
  return proofs.map((proof) => {
    const judged = `judge: ${proof.judge}`;
    if (proof.expectedInToken === undefined) {
      return `  unverified  ${proof.clientId}: ${proof.problem ?? 'no token'} (${judged})`;
    }
    const aud = `aud: ${proof.aud && proof.aud.length > 0 ? listed(proof.aud) : 'empty'}`;
    const whose = `${judged}; for ${proof.user ?? 'a user'}; ${aud}`;
    return proof.expectedInToken
      ? `  ok          ${proof.clientId}: the token carries "${proof.expected}" (${whose})`
      : `  LACKING     ${proof.clientId}: the token lacks "${proof.expected}" (${whose})`;
  });
}

/** A run that stopped: its message, then what was undone and what was left. */
export function rollbackLines(result: RunResult): string[] {
  const lines = [result.message];
  for (const what of result.rollback?.undone ?? []) lines.push(`  undone: ${what}`);
  for (const item of result.rollback?.left ?? []) lines.push(`  LEFT:   ${item.what} (${item.reason})`);
  return lines;
}

export function undoLines(result: UndoResult): string[] {
  const undone = result.undone.map((what) => `  undone: ${what}`);
  if (result.status === 'undone') return [`Undone (${result.undone.length}):`, ...undone];
  if (result.status === 'partly-undone') return [result.message, ...undone];
  return [result.message];
}

/** A file name as it can be typed into a shell: as it is when that is safe, else single-quoted. */
export const shellWord = (value: string) => (/^[\w./:@%+=-]+$/.test(value) ? value : shellQuote(value));
