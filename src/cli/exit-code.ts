import type { RealmReport } from '../report/report.ts';
import { findingsOf } from './findings.ts';

export const FAIL_ON = ['missing', 'problem', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_AUDIT = 2;

/**
 * `missing`: a reported client lacks its own clientId in aud. `problem`: anything worth a look — a verdict
 * other than ok or not-applicable, a problem (such as a broken fix beside a working one), or a token that
 * disagrees with the verdict. `none`: only a failed audit fails.
 */
export function exitCodeFor(reports: RealmReport[], failOn: FailOn): typeof EXIT_OK | typeof EXIT_FINDINGS {
  const clients = reports.flatMap((report) => report.clients);
  const failing =
    failOn === 'missing'
      ? clients.some((client) => client.verdict === 'missing')
      : failOn === 'problem'
        ? clients.some((client) => findingsOf(client).length > 0)
        : false;
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
