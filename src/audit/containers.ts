import type { ContainerRef, MapperRef, Problem } from './findings.ts';
import { isAudienceMapper, isAudienceResolveMapper, mapperEffect, mapperRef } from './mappers.ts';
import type { RealmContext } from './realm-context.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep } from './snapshot.ts';

/** A mapper the audit has to look at, with what it does to aud worked out once per realm audit. */
export interface ActiveMapper {
  mapper: ProtocolMapperRep;
  ref: MapperRef;
  notDeployed: boolean;
  overridesAccess: boolean;
  overridesLightweight: boolean;
}

export interface Container {
  ref: ContainerRef;
  /** Only the mappers that can matter to aud, in the container's order. */
  mappers: ActiveMapper[];
  /** A default-roles role that makes a role-restricted scope apply to every user. */
  promotedBy?: string;
}

const isOidcMapper = (mapper: ProtocolMapperRep) => (mapper.protocol ?? 'openid-connect') === 'openid-connect';

/**
 * The mappers that are not deployed, may rewrite aud, or are Audience (Resolve) mappers. A claim mapper of
 * any other kind never touches aud: a realm's built-in scopes hold dozens of them, shared by every client.
 */
function activeMappers(mappers: ProtocolMapperRep[] | undefined, context: RealmContext): ActiveMapper[] {
  const active: ActiveMapper[] = [];
  for (const mapper of mappers ?? []) {
    if (!isOidcMapper(mapper)) continue;
    const inAccessToken = mapperEffect(mapper, false, context.mapperTypes);
    const overridesLightweight = mapperEffect(mapper, true, context.mapperTypes) === 'override';
    const notDeployed = inAccessToken === 'not-deployed';
    const overridesAccess = inAccessToken === 'override';
    if (
      notDeployed ||
      overridesAccess ||
      overridesLightweight ||
      isAudienceMapper(mapper) ||
      isAudienceResolveMapper(mapper)
    ) {
      active.push({ mapper, ref: mapperRef(mapper), notDeployed, overridesAccess, overridesLightweight });
    }
  }
  return active;
}

/** A client scope as attached in one way; the same for every client that attaches it so. */
function scopeContainer(scope: ClientScopeRep, attachment: 'default' | 'optional', context: RealmContext): Container {
  const restricted = context.scopeRoleRestrictions[scope.id] === true;
  // DefaultClientSessionContext.isClientScopePermittedForUser: one of the scope's roles (composites expanded).
  const promotedBy = restricted
    ? context.scopeRestrictingRoles?.[scope.id]?.find((role) => context.defaultRoles?.has(role))
    : undefined;
  const applies = attachment === 'optional' ? 'optional' : restricted && !promotedBy ? 'role-restricted' : 'always';
  return {
    ref: { type: 'scope', name: scope.name, id: scope.id, attachment, applies },
    mappers: activeMappers(scope.protocolMappers, context),
    promotedBy,
  };
}

/** Each realm audit's scope containers by scope name, one map per way of attaching; gone with the audit. */
const cachesByContext = new WeakMap<
  RealmContext,
  { asDefault: Map<string, Container>; asOptional: Map<string, Container> }
>();

/**
 * The client itself, then its default scopes, then its optional scopes: every place a mapper can come from.
 * A scope's container is built once per realm audit and shared (its ref and mappers are read, never changed).
 */
export function containersOf(client: ClientRep, context: RealmContext, problems: Problem[]): Container[] {
  let cache = cachesByContext.get(context);
  if (!cache) {
    cache = { asDefault: new Map(), asOptional: new Map() };
    cachesByContext.set(context, cache);
  }
  const { asDefault, asOptional } = cache;
  const containers: Container[] = [
    {
      ref: {
        type: 'client',
        name: `${client.clientId}-dedicated`,
        id: client.id,
        attachment: 'dedicated',
        applies: 'always',
      },
      mappers: activeMappers(client.protocolMappers, context),
    },
  ];
  const attach = (names: string[] | undefined, attachment: 'default' | 'optional') => {
    for (const name of names ?? []) {
      const built = attachment === 'default' ? asDefault : asOptional;
      const known = built.get(name);
      if (known) {
        containers.push(known);
        continue;
      }
      const scope = context.scopesByName.get(name);
      if (!scope) {
        problems.push({
          code: 'scope-not-visible',
          message: `The ${attachment} client scope "${name}" is linked to the client, but your account could not read it.`,
        });
        continue;
      }
      const container = scopeContainer(scope, attachment, context);
      built.set(name, container);
      containers.push(container);
    }
  };
  attach(client.defaultClientScopes, 'default');
  attach(client.optionalClientScopes, 'optional');
  return containers;
}
