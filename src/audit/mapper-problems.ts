import type { ContainerRef, MapperRef, Problem } from './findings.ts';
import { ACCESS_TOKEN_FLAG, LIGHTWEIGHT_FLAG, tokenFlagKey } from './mappers.ts';
import type { RealmContext } from './realm-context.ts';
import type { ProtocolMapperRep } from './snapshot.ts';
import { ruleApplies } from './version-rules.ts';

export const where = (container: ContainerRef) =>
  container.type === 'client' ? 'the client itself (Dedicated scope)' : `client scope "${container.name}"`;

/**
 * Whether Keycloak puts the mapper's value into aud. From 26.7.5 (26.6.8) AudienceProtocolMapper.setClaim skips an
 * included client that does not exist or is disabled; undefined when that matters and the version is unknown.
 */
export function valueReachesAud(target: { value: string; key: string }, context: RealmContext): boolean | undefined {
  if (target.key !== 'included.client.audience') return true;
  if (context.clientIds.has(target.value) && !context.disabledClientIds.has(target.value)) return true;
  const dropped = ruleApplies('inactiveAudienceDropped', context.version);
  return dropped === undefined ? undefined : !dropped;
}

function versionSentence(context: RealmContext, value: string): string {
  const dropped = ruleApplies('inactiveAudienceDropped', context.version);
  if (dropped === true) return ' This Keycloak adds nothing to aud for it.';
  if (dropped === false)
    return ` This Keycloak adds the literal value "${value}" to aud; 26.7.5 and later add nothing.`;
  return ` Keycloak before 26.7.5 (26.6.8) adds the literal value "${value}" to aud; later versions add nothing, and this server's version is unknown.`;
}

/** Problems of an Audience mapper's value, whatever its flags. */
export function valueProblems(
  target: { value: string; key: string } | undefined,
  mapper: MapperRef,
  container: ContainerRef,
  context: RealmContext,
): Problem[] {
  // Written only for a problem: most mappers have none, and a big realm has thousands of them.
  const at = () => `Audience mapper "${mapper.name}" in ${where(container)}`;
  if (!target) {
    return [{ code: 'empty-value', message: `${at()} names no audience at all.`, container, mapper }];
  }
  if (target.key !== 'included.client.audience') return [];
  if (target.value === '') {
    return [
      {
        code: 'empty-value',
        message: `${at()} has an empty Included Client Audience; it adds an empty audience and hides any custom audience.`,
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
        message: `${at()} holds the internal id of client "${owner}" instead of its clientId, so "${owner}" never reaches aud.${versionSentence(context, target.value)}`,
        container,
        mapper,
      },
    ];
  }
  if (!context.clientIds.has(target.value)) {
    return [
      {
        code: 'unknown-client',
        message: `${at()} names "${target.value}", which is no client of this realm (a typo?).${versionSentence(context, target.value)}`,
        container,
        mapper,
      },
    ];
  }
  if (context.disabledClientIds.has(target.value)) {
    return [
      {
        code: 'disabled-client',
        message: `${at()} names "${target.value}", a disabled client.${versionSentence(context, target.value)}`,
        container,
        mapper,
      },
    ];
  }
  return [];
}

export function flagProblem(
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
