import type { ClientScopeRep, ProtocolMapperRep } from '../audit/snapshot.ts';
import type { ScopeBody } from './types.ts';

/**
 * Whether `stored` does what `wanted` says. Keycloak adds defaults of its own when it stores a mapper
 * (e.g. "userinfo.token.claim": "false"), so extra settings count only when they switch something on.
 */
export function sameMapper(stored: ProtocolMapperRep, wanted: ProtocolMapperRep): boolean {
  const have = stored.config ?? {};
  const want = wanted.config ?? {};
  return (
    stored.name === wanted.name &&
    stored.protocolMapper === wanted.protocolMapper &&
    Object.keys(want).every((key) => have[key] === want[key]) &&
    Object.keys(have).every((key) => key in want || have[key] === 'false')
  );
}

export function sameScope(existing: ClientScopeRep, wanted: ScopeBody): boolean {
  const attributes = existing.attributes ?? {};
  const mappers = existing.protocolMappers ?? [];
  return (
    (existing.protocol ?? 'openid-connect') === wanted.protocol &&
    Object.entries(wanted.attributes).every(([key, value]) => attributes[key] === value) &&
    mappers.length === wanted.protocolMappers.length &&
    wanted.protocolMappers.every((mapper) => mappers.some((candidate) => sameMapper(candidate, mapper)))
  );
}

export const sameConfig = (left: Record<string, string> = {}, right: Record<string, string> = {}) =>
  Object.keys(left).length === Object.keys(right).length && Object.keys(left).every((key) => left[key] === right[key]);
