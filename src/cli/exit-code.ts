import type { RealmReport } from '../report/report.ts';
import { findingsOf, isFailing } from './findings.ts';

export const FAIL_ON = ['missing', 'problem', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_AUDIT = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FINDINGS | typeof EXIT_CANNOT_AUDIT;

/**
 * One line per realm where something could not be judged, with the next step; empty when every reported
 * client was judged.
 */
export function unjudged(reports: RealmReport[]): string[] {
  return reports.flatMap((report) => {
    if (report.cannotJudge) return [`cannot judge realm ${report.realm}: ${report.cannotJudge}`];
    const clientIds = report.clients
      .filter((client) => client.verdict === 'cannot-judge')
      .map((client) => client.clientId);
    if (clientIds.length === 0) return [];
    const shown = clientIds.length > 5 ? `${clientIds.slice(0, 5).join(', ')}, …` : clientIds.join(', ');
    const count = clientIds.length === 1 ? '1 client' : `${clientIds.length} clients`;
    const names = clientIds.length === 1 ? 'it names' : 'they name';
    return [
      `cannot judge ${count} of realm ${report.realm} (${shown}): ${names} client scopes the account may not view. Next step: audit with an account that holds view-clients in realm ${report.realm}.`,
    ];
  });
}

/**
 * `missing`: a reported client's tokens lack a required audience (by default its own clientId). `problem`:
 * anything worth a look — a verdict other than ok or not-applicable, a requirement met only sometimes, a
 * problem (such as a broken fix beside a working one), or a token that disagrees with the verdict; an audience
 * nobody required never fails a run. `none`: only a failed audit fails. With `missing` or `problem`, what could not
 * be judged is a failed audit (2): its missing clients would otherwise pass unseen.
 */
export function exitCodeFor(reports: RealmReport[], failOn: FailOn): ExitCode {
  if (failOn === 'none') return EXIT_OK;
  if (unjudged(reports).length > 0) return EXIT_CANNOT_AUDIT;
  const clients = reports.flatMap((report) => report.clients);
  const failing =
    failOn === 'missing'
      ? clients.some((client) => client.verdict === 'missing')
      : clients.some((client) => findingsOf(client).some(isFailing));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
