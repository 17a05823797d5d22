import type { Problem, ProblemCode, Verdict } from '../audit/index.ts';
import { INTROSPECTION_WITHOUT_AUDIENCE_CHECK } from '../audit/introspection.ts';
import { hasStatedRequirements } from '../audit/requirements.ts';
import { STANDARD_TOKEN_EXCHANGE } from '../audit/token-exchange.ts';
import type { ClientReport } from '../report/report.ts';

export type FindingVerdict = Exclude<Verdict, 'ok' | 'not-applicable'>;

export type RuleId =
  | `verdict/${FindingVerdict}`
  | `problem/${ProblemCode}`
  | 'requirement/unmet'
  | 'requirement/conditional'
  | 'audience/not-required'
  | 'introspection/without-audience-check'
  | 'exchange/public-client'
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
  if (!hasStatedRequirements(client) || (client.verdict !== 'missing' && client.verdict !== 'conditional'))
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
  const introspection = client.introspection;
  if (introspection?.withoutAudienceCheck) {
    const carriers = introspection.carriedBy.map((holder) => holder.clientId).join(', ');
    findings.push({
      ruleId: 'introspection/without-audience-check',
      level: 'warning',
      message: `Its token introspection skips the audience check ("${INTROSPECTION_WITHOUT_AUDIENCE_CHECK}" is on), so it accepts tokens meant for any client. Tokens that carry ${client.clientId} today: ${carriers || 'none'}. Require ${client.clientId} in the tokens of every client that calls it (audience-doctor.requires), put it there, then switch this off.`,
    });
  }
  if (client.exchange?.publicClient) {
    findings.push({
      ruleId: 'exchange/public-client',
      level: 'warning',
      message: `It has standard token exchange on ("${STANDARD_TOKEN_EXCHANGE}") but is a public client: Keycloak refuses token exchange to public clients. Make it confidential or switch the exchange off.`,
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
