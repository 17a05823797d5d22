import { clientKind, isBuiltIn, isLightweight, whyNoTokens } from './client-settings.ts';
import type { ClientAudit, ConditionalAudience, ContainerRef, Evidence, MapperRef, Problem } from './findings.ts';
import {
  ACCESS_TOKEN_FLAG,
  audienceResolveOn,
  audienceValue,
  isAudienceMapper,
  isAudienceResolveMapper,
  LIGHTWEIGHT_FLAG,
  mapperEffect,
  mapperRef,
  tokenFlagKey,
  tokenFlagOn,
} from './mappers.ts';
import { lightweightPolicies } from './policies.ts';
import type { ClientPoliciesSnapshot, ClientRep, ClientScopeRep, ProtocolMapperRep } from './snapshot.ts';

/** Realm-wide lookups shared by every client's audit. */
export interface RealmContext {
  realm: string;
  scopesByName: Map<string, ClientScopeRep>;
  clientIds: Set<string>;
  clientIdByUuid: Map<string, string>;
  mapperTypes: string[] | undefined;
  scopeRoleRestrictions: Record<string, boolean>;
  clientPolicies: ClientPoliciesSnapshot | undefined;
}

interface Container {
  ref: ContainerRef;
  mappers: ProtocolMapperRep[];
}

const isOidcMapper = (mapper: ProtocolMapperRep) => (mapper.protocol ?? 'openid-connect') === 'openid-connect';

/** The client itself, then its default scopes, then its optional scopes: every place a mapper can come from. */
function containersOf(client: ClientRep, context: RealmContext, problems: Problem[]): Container[] {
  const containers: Container[] = [
    {
      ref: {
        type: 'client',
        name: `${client.clientId}-dedicated`,
        id: client.id,
        attachment: 'dedicated',
        applies: 'always',
      },
      mappers: (client.protocolMappers ?? []).filter(isOidcMapper),
    },
  ];
  const attach = (names: string[] | undefined, attachment: 'default' | 'optional') => {
    for (const name of names ?? []) {
      const scope = context.scopesByName.get(name);
      if (!scope) {
        problems.push({
          code: 'scope-not-visible',
          message: `The ${attachment} client scope "${name}" is linked to the client, but your account could not read it.`,
        });
        continue;
      }
      const restricted = context.scopeRoleRestrictions[scope.id] === true;
      const applies = attachment === 'optional' ? 'optional' : restricted ? 'role-restricted' : 'always';
      containers.push({
        ref: { type: 'scope', name: scope.name, id: scope.id, attachment, applies },
        mappers: (scope.protocolMappers ?? []).filter(isOidcMapper),
      });
    }
  };
  attach(client.defaultClientScopes, 'default');
  attach(client.optionalClientScopes, 'optional');
  return containers;
}

const where = (container: ContainerRef) =>
  container.type === 'client' ? 'the client itself (Dedicated scope)' : `client scope "${container.name}"`;

/** Problems of an Audience mapper's value, whatever its flags. */
function valueProblems(
  target: { value: string; key: string } | undefined,
  mapper: MapperRef,
  container: ContainerRef,
  context: RealmContext,
): Problem[] {
  const at = `Audience mapper "${mapper.name}" in ${where(container)}`;
  if (!target) {
    return [{ code: 'empty-value', message: `${at} names no audience at all.`, container, mapper }];
  }
  if (target.key !== 'included.client.audience') return [];
  if (target.value === '') {
    return [
      {
        code: 'empty-value',
        message: `${at} has an empty Included Client Audience; it adds an empty audience and hides any custom audience.`,
        container,
        mapper,
      },
    ];
  }
  const owner = context.clientIdByUuid.get(target.value);
  if (owner !== undefined) {
    return [
      {
        code: 'uuid-value',
        message: `${at} holds the internal id of client "${owner}" instead of its clientId, so "${owner}" never reaches aud.`,
        container,
        mapper,
      },
    ];
  }
  if (!context.clientIds.has(target.value)) {
    return [
      {
        code: 'unknown-client',
        message: `${at} names "${target.value}", which is no client of this realm (a typo?).`,
        container,
        mapper,
      },
    ];
  }
  return [];
}

function flagProblem(
  mapper: ProtocolMapperRep,
  ref: MapperRef,
  container: ContainerRef,
  lightweight: boolean,
): Problem {
  const values = mapper.config ?? {};
  const at = `Audience mapper "${ref.name}" in ${where(container)}`;
  if (lightweight && values[ACCESS_TOKEN_FLAG] === 'true') {
    return {
      code: 'lightweight-flag-missing',
      message: `${at} is on for access tokens, but the client uses lightweight access tokens, where only "${LIGHTWEIGHT_FLAG}" counts.`,
      container,
      mapper: ref,
    };
  }
  const key = tokenFlagKey(lightweight);
  const state = values[key] === undefined ? `has no "${key}" setting` : `has "${key}" set to "${values[key]}"`;
  return {
    code: 'token-flag-off',
    message: `${at} ${state}, so it adds nothing to access tokens ("Add to ${lightweight ? 'lightweight ' : ''}access token" must be on).`,
    container,
    mapper: ref,
  };
}

export function auditClient(client: ClientRep, context: RealmContext): ClientAudit {
  const lightweight = isLightweight(client);
  const problems: Problem[] = [];
  const containers = containersOf(client, context, problems);
  const base = {
    id: client.id,
    clientId: client.clientId,
    name: client.name || undefined,
    kind: clientKind(client),
    builtIn: isBuiltIn(client, context.realm),
    lightweight,
  };

  const noTokens = whyNoTokens(client);
  if (noTokens) {
    return {
      ...base,
      verdict: 'not-applicable',
      reason: `Not checked: ${noTokens}.`,
      evidence: [],
      problems: [],
      audiences: [],
      conditionalAudiences: [],
      roleAudiences: false,
      exampleBlindSpots: [],
    };
  }
  const unseen = problems.filter((problem) => problem.code === 'scope-not-visible');
  if (unseen.length > 0) {
    // A scope we could not read may hold the fix, or a mapper that overwrites aud: no verdict either way.
    return {
      ...base,
      verdict: 'cannot-judge',
      reason: `Cannot judge: the client names ${unseen.length === 1 ? 'a client scope' : `${unseen.length} client scopes`} your account cannot read. Next step: audit with an account that may view client scopes in realm "${context.realm}" (view-clients).`,
      evidence: [],
      problems: unseen,
      audiences: [],
      conditionalAudiences: [],
      roleAudiences: false,
      exampleBlindSpots: [],
    };
  }

  const evidence: (Evidence & { lightweightReady: boolean })[] = [];
  const audiences = new Set<string>();
  const conditionalAudiences: ConditionalAudience[] = [];
  const overrides: string[] = [];
  let roleAudiences = false;

  for (const container of containers) {
    for (const mapper of container.mappers) {
      const ref = mapperRef(mapper);
      const effect = mapperEffect(mapper, lightweight, context.mapperTypes);
      if (effect === 'not-deployed') {
        problems.push({
          code: 'mapper-type-not-deployed',
          message: `Mapper "${ref.name}" in ${where(container.ref)} has type "${ref.type}", which this Keycloak has not deployed, so Keycloak skips it.`,
          container: container.ref,
          mapper: ref,
        });
        continue;
      }
      if (effect === 'override' && container.ref.applies !== 'optional') {
        overrides.push(`"${ref.name}" (${ref.type}) in ${where(container.ref)}`);
      }
      if (isAudienceResolveMapper(mapper) && container.ref.applies === 'always') {
        roleAudiences ||= audienceResolveOn(mapper, lightweight);
      }
      if (!isAudienceMapper(mapper)) continue;

      const target = audienceValue(mapper);
      problems.push(...valueProblems(target, ref, container.ref, context));
      if (!target) continue;
      if (!tokenFlagOn(mapper, lightweight)) {
        problems.push(flagProblem(mapper, ref, container.ref, lightweight));
        continue;
      }
      if (container.ref.applies === 'always') audiences.add(target.value);
      else conditionalAudiences.push({ value: target.value, container: container.ref });
      if (target.value === client.clientId) {
        const lightweightReady = mapper.config?.[LIGHTWEIGHT_FLAG] === 'true';
        evidence.push({ container: container.ref, mapper: ref, value: target.value, lightweightReady });
      }
    }
  }

  // The evaluate endpoint runs no client-policy executor (ClientScopeEvaluateResource builds the token directly).
  const policiesThatMayApply = context.clientPolicies ? lightweightPolicies(context.clientPolicies, client) : [];
  const blindSpots = policiesThatMayApply.map(
    (name) =>
      `Client policy "${name}" may switch this client to lightweight access tokens; an example token does not show that, a real token does.`,
  );

  // Fields written out rather than spread: at 10,000 clients the spread alone doubled the audit time.
  const finish = (verdict: ClientAudit['verdict'], reason: string): ClientAudit => ({
    id: base.id,
    clientId: base.clientId,
    name: base.name,
    kind: base.kind,
    builtIn: base.builtIn,
    lightweight: base.lightweight,
    verdict,
    reason,
    evidence: evidence.map(({ lightweightReady: _, ...item }) => item),
    problems,
    audiences: [...audiences].sort(),
    conditionalAudiences,
    roleAudiences,
    exampleBlindSpots: blindSpots,
  });

  if (overrides.length > 0) {
    for (const override of overrides) {
      problems.push({
        code: 'aud-override',
        message: `Mapper ${override} writes aud in a way its settings do not show.`,
      });
    }
    return finish('unpredictable', `Cannot be predicted: ${overrides.join(', ')} can change aud.`);
  }

  const always = evidence.filter((item) => item.container.applies === 'always');
  if (always.length > 0) {
    const policies = lightweight ? [] : policiesThatMayApply;
    const first = always[0] as Evidence;
    if (policies.length === 0 || always.some((item) => item.lightweightReady)) {
      return finish(
        'ok',
        `Audience mapper "${first.mapper.name}" in ${where(first.container)} adds ${client.clientId}.`,
      );
    }
    problems.push({
      code: 'lightweight-policy',
      message: `Client polic${policies.length > 1 ? 'ies' : 'y'} ${policies.map((name) => `"${name}"`).join(', ')} may switch the client to lightweight access tokens, where the Audience mapper needs "${LIGHTWEIGHT_FLAG}" on.`,
    });
    return finish(
      'conditional',
      `Added by "${first.mapper.name}", unless a client policy switches to lightweight tokens.`,
    );
  }

  if (evidence.length > 0) {
    for (const item of evidence) {
      problems.push(
        item.container.applies === 'optional'
          ? {
              code: 'optional-not-default',
              message: `Client scope "${item.container.name}" holds the fix but is attached as optional: it applies only when a login asks for scope "${item.container.name}". Attach it as a default scope.`,
              container: item.container,
              mapper: item.mapper,
            }
          : {
              code: 'role-restricted',
              message: `Client scope "${item.container.name}" holds the fix but has role scope mappings: it applies only to users holding one of those roles.`,
              container: item.container,
              mapper: item.mapper,
            },
      );
    }
    const first = evidence[0] as Evidence;
    const when =
      first.container.applies === 'optional'
        ? `a login requests scope "${first.container.name}"`
        : `the user holds a role of scope "${first.container.name}"`;
    return finish('conditional', `Added only when ${when}.`);
  }

  const broken = problems[0];
  return finish(
    'missing',
    broken
      ? `Missing: an Audience mapper is there but does not work. ${broken.message}`
      : `Missing: no Audience mapper adds ${client.clientId} to its access tokens.`,
  );
}
