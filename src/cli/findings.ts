import type { Problem, ProblemCode, Verdict } from '../audit/index.ts';
import type { ClientReport } from '../report/report.ts';

export type FindingVerdict = Exclude<Verdict, 'ok' | 'not-applicable'>;

export type RuleId =
  | `verdict/${FindingVerdict}`
  | `problem/${ProblemCode}`
  | 'verification/disagrees'
  | 'realm/cannot-judge';

export type Level = 'error' | 'warning' | 'note';

/** One thing to report about a client: its verdict when not ok, each problem, a token that disagrees. */
export interface Finding {
  ruleId: RuleId;
  level: Level;
  message: string;
  problem?: Problem;
}

const VERDICT_LEVEL: Record<FindingVerdict, Level> = {
  missing: 'error',
  conditional: 'warning',
  unpredictable: 'warning',
  'cannot-judge': 'error',
};

const isFindingVerdict = (verdict: Verdict): verdict is FindingVerdict => verdict in VERDICT_LEVEL;

export function findingsOf(client: ClientReport): Finding[] {
  const findings: Finding[] = [];
  if (isFindingVerdict(client.verdict)) {
    findings.push({
      ruleId: `verdict/${client.verdict}`,
      level: VERDICT_LEVEL[client.verdict],
      message: client.reason,
    });
  }
  for (const problem of client.problems) {
    findings.push({ ruleId: `problem/${problem.code}`, level: 'warning', message: problem.message, problem });
  }
  const verification = client.verification;
  if (verification && verification.agrees === false) {
    const has = verification.ownInToken ? 'carries' : 'lacks';
    findings.push({
      ruleId: 'verification/disagrees',
      level: 'warning',
      message: `A token Keycloak generated for user "${verification.user}" ${has} ${client.clientId} in aud, unlike the verdict "${client.verdict}".`,
    });
  }
  return findings;
}
