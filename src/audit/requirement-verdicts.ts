import type { Evidence, Problem, RequirementStatus, RequirementVerdict, Verdict } from './findings.ts';
import { where } from './mapper-problems.ts';
import type { RealmContext } from './realm-context.ts';
import type { RequestOutcome } from './requests.ts';
import { CALLERS_ATTRIBUTE, type ClientRequirements, hasStatedRequirements } from './requirements.ts';
import { ruleApplies } from './version-rules.ts';

/** What the client's requests show about one audience other than its own clientId. */
export interface TargetJudgement {
  /** One outcome per request profile (grant × requested scopes × scope roles). */
  outcomes: Set<RequestOutcome>;
  evidence: Evidence[];
  /** An Audience mapper for this audience that adds nothing (a token flag off). */
  broken: Problem | undefined;
  /** Mappers that can rewrite aud on every request. */
  overrides: string[];
}

export type TargetJudge = (audience: string) => TargetJudgement;

interface OwnVerdict {
  verdict: Verdict;
  reason: string;
  evidence: Evidence[];
}

const OWN_STATUS: Partial<Record<Verdict, RequirementStatus>> = {
  ok: 'met',
  conditional: 'conditional',
  unpredictable: 'conditional',
  missing: 'unmet',
};

const STATUS_VERDICT: Record<RequirementStatus, Verdict> = { met: 'ok', conditional: 'conditional', unmet: 'missing' };
const RANK: Record<RequirementStatus, number> = { met: 0, conditional: 1, unmet: 2 };

function judgeOther(audience: string, judgement: TargetJudgement, context: RealmContext): RequirementVerdict {
  const { outcomes, evidence, broken, overrides } = judgement;
  const first = evidence[0];
  if (outcomes.size === 1 && outcomes.has('carries') && first) {
    return {
      audience,
      status: 'met',
      reason: `Audience mapper "${first.mapper.name}" in ${where(first.container)} adds ${audience}.`,
      evidence,
    };
  }
  if (outcomes.size === 1 && outcomes.has('overridden')) {
    return {
      audience,
      status: 'conditional',
      reason: `Cannot be predicted: ${overrides.join(', ')} can change aud.`,
      evidence,
    };
  }
  if ((outcomes.has('carries') || outcomes.has('policy-unknown')) && first) {
    const always = evidence.find((item) => item.container.applies === 'always');
    const when = always
      ? 'a client policy does not switch the request to lightweight tokens, and no requested scope rewrites aud'
      : first.container.applies === 'optional'
        ? `a login requests scope "${first.container.name}"`
        : `the user holds a role of scope "${first.container.name}"`;
    return { audience, status: 'conditional', reason: `${audience} is added only when ${when}.`, evidence };
  }
  // AudienceProtocolMapper.setClaim (26.7.5, 26.6.8): a disabled client is never added to aud.
  if (context.disabledClientIds.has(audience) && ruleApplies('inactiveAudienceDropped', context.version) === true) {
    return {
      audience,
      status: 'unmet',
      reason: `Cannot be met until client "${audience}" is enabled: this Keycloak adds no disabled client to aud.`,
      evidence,
    };
  }
  if (broken)
    return {
      audience,
      status: 'unmet',
      reason: `An Audience mapper for ${audience} adds nothing. ${broken.message}`,
      evidence,
    };
  return { audience, status: 'unmet', reason: `No Audience mapper adds ${audience} to its access tokens.`, evidence };
}

/**
 * One verdict per required audience, and the client's verdict: the worst of them (unmet > conditional > met),
 * or "nothing required" for an empty list. The own clientId keeps the verdict the whole audit made for it, so
 * a client judged by the default rule reads exactly as before requirements existed.
 */
export function judgeRequirements(
  required: ClientRequirements,
  ownClientId: string,
  own: OwnVerdict,
  judgeTarget: TargetJudge,
  context: RealmContext,
): { verdict: Verdict; reason: string; requirements: RequirementVerdict[] } {
  const ownStatus = OWN_STATUS[own.verdict];
  const requirements: RequirementVerdict[] = [];
  for (const audience of required.audiences) {
    const verdict: RequirementVerdict | undefined =
      audience !== ownClientId
        ? judgeOther(audience, judgeTarget(audience), context)
        : ownStatus
          ? { audience, status: ownStatus, reason: own.reason, evidence: own.evidence }
          : undefined;
    if (!verdict) continue;
    if (required.addedByDeclarations.includes(audience)) verdict.declared = true;
    requirements.push(verdict);
  }
  if (!hasStatedRequirements({ requirementSource: required.source, declaredBy: required.declaredBy })) {
    return { verdict: own.verdict, reason: own.reason, requirements };
  }
  if (required.audiences.length === 0) {
    return {
      verdict: 'not-applicable',
      reason: `Nothing is required of its tokens (${required.source === 'file' ? 'the requirements file' : 'its requirements'} name no audience).`,
      requirements,
    };
  }
  // The own clientId required, and a verdict the statuses cannot say (cannot be judged): that verdict stands.
  if (required.audiences.includes(ownClientId) && !ownStatus)
    return { verdict: own.verdict, reason: own.reason, requirements };
  const worst = requirements.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  if (worst.status === 'met') {
    const names = requirements.map((requirement) => requirement.audience).join(', ');
    return { verdict: 'ok', reason: `Its access tokens carry every required audience: ${names}.`, requirements };
  }
  const label = worst.status === 'unmet' ? 'Missing' : 'Only sometimes';
  const by = worst.declared ? ` (client ${worst.audience} names it in ${CALLERS_ATTRIBUTE})` : '';
  return {
    verdict: STATUS_VERDICT[worst.status],
    reason: `${label}: required audience ${worst.audience}${by}. ${worst.reason}`,
    requirements,
  };
}
