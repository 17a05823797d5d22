import { clientKind, isBuiltIn, isLightweight, tokenGrants, whyNoTokens } from './client-settings.ts';
import { type Container, containersOf } from './containers.ts';
import type { ClientAudit, ConditionalAudience, Evidence, Problem, Verdict } from './findings.ts';
import { flagProblem, valueProblems, valueReachesAud, where } from './mapper-problems.ts';
import {
  audienceResolveOn,
  audienceValue,
  isAudienceMapper,
  isAudienceResolveMapper,
  LIGHTWEIGHT_FLAG,
  tokenFlagOn,
} from './mappers.ts';
import type { LightweightDecision } from './policies.ts';
import type { RealmContext } from './realm-context.ts';
import { type AudWriter, judgeInMode, type RequestOutcome, requestProfiles, tokenMode } from './requests.ts';
import { judgeRequirements, type TargetJudge } from './requirement-verdicts.ts';
import { CALLERS_ATTRIBUTE, type ClientRequirements, REQUIRES_ATTRIBUTE, requirementsOf } from './requirements.ts';
import type { ClientRep } from './snapshot.ts';

export function auditClient(client: ClientRep, context: RealmContext): ClientAudit {
  const lightweight = isLightweight(client);
  const problems: Problem[] = [];
  const containers = containersOf(client, context, problems);
  const required = requirementsOf(client, context.requirementsFile, context.declarations);
  const name = client.name || undefined;
  const kind = clientKind(client);
  const builtIn = isBuiltIn(client, context.realm);
  // Fields written out rather than spread: at 10,000 clients the spread alone doubled the audit time.
  const unjudged = (verdict: 'not-applicable' | 'cannot-judge', reason: string, found: Problem[]): ClientAudit => ({
    id: client.id,
    clientId: client.clientId,
    name,
    kind,
    builtIn,
    lightweight,
    verdict,
    reason,
    ownVerdict: verdict,
    requirementSource: required.source,
    declaredBy: required.declaredBy,
    requirements: [],
    unrequiredAudiences: [],
    evidence: [],
    problems: found,
    audiences: [],
    conditionalAudiences: [],
    roleAudiences: false,
    exampleBlindSpots: [],
    notes: [],
  });

  const noTokens = whyNoTokens(client);
  if (noTokens) return unjudged('not-applicable', `Not checked: ${noTokens}.`, declarationProblems(client, context));
  const unseen = problems.filter((problem) => problem.code === 'scope-not-visible');
  if (unseen.length > 0) {
    // A scope we could not read may hold the fix, or a mapper that overwrites aud: no verdict either way.
    return unjudged(
      'cannot-judge',
      `Cannot judge: the client names ${unseen.length === 1 ? 'a client scope' : `${unseen.length} client scopes`} your account cannot read. Next step: audit with an account that may view client scopes in realm "${context.realm}" (view-clients).`,
      unseen,
    );
  }

  const evidence: Evidence[] = [];
  // Arrays, not sets: a client's lists hold one or two items, and a set costs more to make than to search.
  const audiences: string[] = [];
  const conditionalAudiences: ConditionalAudience[] = [];
  const own: AudWriter[] = [];
  const overrides: (AudWriter & { label: string })[] = [];
  let roleAudiences = false;
  // Required audiences other than the own clientId: what adds each, and the mapper that would but does not.
  const others = new Map<string, { writers: AudWriter[]; evidence: Evidence[]; broken?: Problem }>();
  for (const audience of required.audiences) {
    if (audience !== client.clientId) others.set(audience, { writers: [], evidence: [] });
  }

  for (const container of containers) {
    for (const { mapper, ref, notDeployed, overridesAccess, overridesLightweight } of container.mappers) {
      if (notDeployed) {
        problems.push({
          code: 'mapper-type-not-deployed',
          message: `Mapper "${ref.name}" in ${where(container.ref)} has type "${ref.type}", which this Keycloak has not deployed, so Keycloak skips it.`,
          container: container.ref,
          mapper: ref,
        });
        continue;
      }
      if (overridesAccess || overridesLightweight) {
        overrides.push({
          container: container.ref,
          inAccessToken: overridesAccess,
          inLightweightToken: overridesLightweight,
          label: `"${ref.name}" (${ref.type}) in ${where(container.ref)}`,
        });
      }
      if (isAudienceResolveMapper(mapper) && container.ref.applies === 'always') {
        roleAudiences ||= audienceResolveOn(mapper, lightweight);
      }
      if (!isAudienceMapper(mapper)) continue;

      const target = audienceValue(mapper);
      problems.push(...valueProblems(target, ref, container.ref, context));
      if (!target) continue;
      if (target.value === client.clientId) {
        own.push({
          container: container.ref,
          inAccessToken: tokenFlagOn(mapper, false),
          inLightweightToken: tokenFlagOn(mapper, true),
        });
      }
      const reaches = valueReachesAud(target, context);
      const wanted = others.get(target.value);
      if (wanted && reaches !== false) {
        wanted.writers.push({
          container: container.ref,
          inAccessToken: tokenFlagOn(mapper, false),
          inLightweightToken: tokenFlagOn(mapper, true),
        });
      }
      if (!tokenFlagOn(mapper, lightweight)) {
        const problem = flagProblem(mapper, ref, container.ref, lightweight);
        problems.push(problem);
        if (wanted) wanted.broken ??= problem;
        continue;
      }
      if (reaches !== false) {
        if (container.ref.applies === 'always') {
          if (!audiences.includes(target.value)) audiences.push(target.value);
        } else conditionalAudiences.push({ value: target.value, container: container.ref });
        wanted?.evidence.push({ container: container.ref, mapper: ref, value: target.value });
      }
      if (target.value === client.clientId)
        evidence.push({ container: container.ref, mapper: ref, value: target.value });
    }
  }

  const roleRestricted = containers.some((container) => container.ref.applies === 'role-restricted');
  const requestContext = {
    client,
    lightweight,
    policies: context.clientPolicies,
    version: context.version,
    own,
    overrides,
  };
  const profiles = requestProfiles(client, tokenGrants(client), roleRestricted);
  const modes = profiles.map((profile) => tokenMode(requestContext, profile));
  const judged = profiles.map((profile, index) =>
    judgeInMode(requestContext, profile, modes[index] as LightweightDecision),
  );
  const outcomes: RequestOutcome[] = [];
  for (const request of judged) if (!outcomes.includes(request.outcome)) outcomes.push(request.outcome);
  const switchedBy = judged.some((request) => request.lightweightBy.length > 0)
    ? [...new Set(judged.flatMap((request) => request.lightweightBy))]
    : [];

  // The evaluate endpoint runs no client-policy executor (ClientScopeEvaluateResource builds the token directly).
  const blindSpots = switchedBy.map(
    (name) =>
      `Client policy "${name}" may switch this client to lightweight access tokens; an example token does not show that, a real token does.`,
  );
  const notes = promotedNotes(containers, context);

  problems.push(...declarationProblems(client, context));
  if (required.unreadable !== undefined) {
    problems.push({
      code: 'requirements-unreadable',
      message: `Attribute "${REQUIRES_ATTRIBUTE}" holds ${required.unreadable}; it must be a JSON array of audiences, such as ["${client.clientId}"]. Until it is fixed the client is judged by its own clientId.`,
    });
  }
  const judgeTarget: TargetJudge = (audience) => {
    const seen = others.get(audience);
    const own = seen?.writers ?? [];
    return {
      outcomes: new Set(
        profiles.map(
          (profile, index) =>
            judgeInMode({ ...requestContext, own }, profile, modes[index] as LightweightDecision).outcome,
        ),
      ),
      evidence: seen?.evidence ?? [],
      broken: seen?.broken,
      overrides: alwaysOverrides.map((item) => item.label),
    };
  };

  const finish = (ownVerdict: Verdict, ownReason: string): ClientAudit => {
    const judged = judgeRequirements(
      required,
      client.clientId,
      { verdict: ownVerdict, reason: ownReason, evidence },
      judgeTarget,
      context,
    );
    const sortedAudiences = audiences.length > 1 ? audiences.sort() : audiences;
    return {
      id: client.id,
      clientId: client.clientId,
      name,
      kind,
      builtIn,
      lightweight,
      verdict: judged.verdict,
      reason: judged.reason,
      ownVerdict,
      requirementSource: required.source,
      declaredBy: required.declaredBy,
      requirements: judged.requirements,
      unrequiredAudiences: unrequired(sortedAudiences, conditionalAudiences, required),
      evidence,
      problems,
      audiences: sortedAudiences,
      conditionalAudiences,
      roleAudiences,
      exampleBlindSpots: blindSpots,
      notes,
    };
  };

  const alwaysOverrides = overrides.length
    ? overrides.filter((item) => item.container.applies !== 'optional')
    : overrides;
  const optionalOverrides = overrides.length
    ? overrides.filter((item) => item.container.applies === 'optional')
    : overrides;
  for (const override of overrides) {
    problems.push({
      code: 'aud-override',
      message:
        override.container.applies === 'optional'
          ? `Mapper ${override.label} writes aud when a login requests scope "${override.container.name}", in a way its settings do not show.`
          : `Mapper ${override.label} writes aud in a way its settings do not show.`,
      container: override.container,
    });
  }
  if (outcomes.length === 1 && outcomes[0] === 'overridden') {
    return finish(
      'unpredictable',
      `Cannot be predicted: ${alwaysOverrides.map((item) => item.label).join(', ')} can change aud.`,
    );
  }

  const lightweightMisses = judged.some((request) => request.outcome !== 'carries' && request.lightweightBy.length > 0);
  if (lightweightMisses) {
    problems.push({
      code: 'lightweight-policy',
      message: `Client polic${switchedBy.length > 1 ? 'ies' : 'y'} ${switchedBy.map((name) => `"${name}"`).join(', ')} ${outcomes.includes('policy-unknown') ? 'may switch' : 'switch'} the client to lightweight access tokens, where the Audience mapper needs "${LIGHTWEIGHT_FLAG}" on.${judged.find((request) => request.why)?.why ? ` It cannot be decided: ${judged.find((request) => request.why)?.why}.` : ''}`,
    });
  }

  const first = evidence[0];
  if (outcomes.length === 1 && outcomes[0] === 'carries' && first) {
    return finish('ok', `Audience mapper "${first.mapper.name}" in ${where(first.container)} adds ${client.clientId}.`);
  }

  if ((outcomes.includes('carries') || outcomes.includes('policy-unknown')) && first) {
    for (const item of evidence) {
      if (item.container.applies === 'optional') {
        problems.push({
          code: 'optional-not-default',
          message: `Client scope "${item.container.name}" holds the fix but is attached as optional: it applies only when a login asks for scope "${item.container.name}". Attach it as a default scope.`,
          container: item.container,
          mapper: item.mapper,
        });
      } else if (item.container.applies === 'role-restricted') {
        problems.push({
          code: 'role-restricted',
          message: `Client scope "${item.container.name}" holds the fix but has role scope mappings: it applies only to users holding one of those roles.`,
          container: item.container,
          mapper: item.mapper,
        });
      }
    }
    const fixedAlways = evidence.find((item) => item.container.applies === 'always');
    if (fixedAlways && lightweightMisses) {
      return finish(
        'conditional',
        `Added by "${fixedAlways.mapper.name}", unless a client policy switches to lightweight tokens.`,
      );
    }
    if (fixedAlways && optionalOverrides.length > 0) {
      const names = optionalOverrides.map((item) => `"${item.container.name}"`).join(', ');
      return finish(
        'conditional',
        `Added by "${fixedAlways.mapper.name}", but a login that requests scope ${names} runs a mapper that can replace aud.`,
      );
    }
    const when =
      first.container.applies === 'optional'
        ? `a login requests scope "${first.container.name}"`
        : first.container.applies === 'role-restricted'
          ? `the user holds a role of scope "${first.container.name}"`
          : 'some requests';
    return finish('conditional', `Added only when ${when}.`);
  }

  const broken = problems.find((problem) => problem.code !== 'aud-override') ?? problems[0];
  return finish(
    'missing',
    broken
      ? `Missing: an Audience mapper is there but does not work. ${broken.message}`
      : `Missing: no Audience mapper adds ${client.clientId} to its access tokens.`,
  );
}

/** What the tokens carry, always or for some logins, that no requirement names (arrays: most lists hold one). */
function unrequired(audiences: string[], conditional: ConditionalAudience[], required: ClientRequirements): string[] {
  const named = required.audiences;
  const found: string[] = [];
  const add = (audience: string) => {
    if (audience !== '' && !named.includes(audience) && !found.includes(audience)) found.push(audience);
  };
  for (const audience of audiences) add(audience);
  for (const item of conditional) add(item.value);
  return found.length > 1 ? found.sort() : found;
}

/** What is wrong with the client's own declaration of its callers: junk, or callers that are no client. */
function declarationProblems(client: ClientRep, context: RealmContext): Problem[] {
  const junk = context.declarations.unreadable.get(client.clientId);
  if (junk !== undefined) {
    return [
      {
        code: 'callers-unreadable',
        message: `Attribute "${CALLERS_ATTRIBUTE}" holds ${junk}; it must be a JSON array of the clientIds whose tokens must carry ${client.clientId}, such as ["web-app"]. Until it is fixed it declares no caller.`,
      },
    ];
  }
  const declared = context.declarations.callersOf.get(client.clientId) ?? [];
  const unknown = declared.filter((caller) => !context.clientIds.has(caller));
  if (unknown.length === 0) return [];
  return [
    {
      code: 'unknown-caller',
      message: `Attribute "${CALLERS_ATTRIBUTE}" names ${unknown.map((caller) => `"${caller}"`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not among the clients read in realm "${context.realm}" (deleted, renamed, a typo, or hidden from your account): nothing is required of ${unknown.length === 1 ? 'it' : 'them'}.`,
    },
  ];
}

/** Role-restricted scopes that every user gets anyway, through the realm's default roles. */
function promotedNotes(containers: Container[], context: RealmContext): string[] {
  return containers
    .filter((container) => container.promotedBy)
    .map(
      (container) =>
        `Client scope "${container.ref.name}" is limited to holders of role "${container.promotedBy}", which every user holds through default-roles-${context.realm}; a user removed from default-roles-${context.realm} does not get it.`,
    );
}
