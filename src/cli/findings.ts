import type { Problem, ProblemCode, Verdict } from '../audit/index.ts';
import type { ClientReport } from '../report/report.ts';

export type FindingVerdict = Exclude<Verdict, 'ok' | 'not-applicable'>;

export type RuleId =
  | `verdict/${FindingVerdict}`
  | `problem/${ProblemCode}`
  | 'requirement/unmet'
  | 'requirement/conditional'
  | 'audience/not-required'
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

/**
 * Findings that never fail a run (`note`): an audience that no requirement names is a service that accepts
 * the tokens, worth knowing, not wrong.
 */
export const isFailing = (finding: Finding) => finding.level !== 'note';

/** A client with stated requirements is reported by requirement; its verdict is only the worst of them. */
function requirementFindings(client: ClientReport): Finding[] | undefined {
  if (client.requirementSource === 'default' || (client.verdict !== 'missing' && client.verdict !== 'conditional'))
    return undefined;
  return client.requirements.flatMap((requirement): Finding[] =>
    requirement.status === 'met'
      ? []
      : [
          {
            ruleId: `requirement/${requirement.status}`,
            level: requirement.status === 'unmet' ? 'error' : 'warning',
            message: `Required audience ${requirement.audience}: ${requirement.reason}`,
          },
        ],
  );
}

export function findingsOf(client: ClientReport): Finding[] {
  const findings: Finding[] = [];
  const byRequirement = requirementFindings(client);
  if (byRequirement) findings.push(...byRequirement);
  else if (isFindingVerdict(client.verdict)) {
    findings.push({
      ruleId: `verdict/${client.verdict}`,
      level: VERDICT_LEVEL[client.verdict],
      message: client.reason,
    });
  }
  for (const problem of client.problems) {
    findings.push({ ruleId: `problem/${problem.code}`, level: 'warning', message: problem.message, problem });
  }
  for (const audience of client.unrequiredAudiences) {
    findings.push({
      ruleId: 'audience/not-required',
      level: 'note',
      message: `Its access tokens carry ${audience}, which no requirement names: service ${audience} accepts them.`,
    });
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
