import type { ClientAudit } from '../audit/findings.ts';
import { ACCESS_TOKEN_FLAG, AUDIENCE_MAPPER, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep } from '../audit/snapshot.ts';
import { audienceMapper, SCOPE_ATTRIBUTES } from './new-objects.ts';
import { type Context, needsLightweightFlag } from './plan-context.ts';

/**
 * The mapper of a scope that holds one openid-connect Audience mapper and nothing else, applies to every user
 * (no role scope mappings) and shows neither in the scope claim nor on the consent screen.
 */
function onlyAudienceMapper(
  scope: ClientScopeRep,
  context: Context,
  key: 'included.client.audience' | 'included.custom.audience' = 'included.client.audience',
): ProtocolMapperRep | undefined {
  if ((scope.protocol ?? 'openid-connect') !== 'openid-connect') return undefined;
  if (context.snapshot.scopeRoleRestrictions[scope.id] !== false) return undefined;
  for (const [key, value] of Object.entries(SCOPE_ATTRIBUTES)) if (scope.attributes?.[key] !== value) return undefined;
  const mappers = scope.protocolMappers ?? [];
  if (mappers.length !== 1) return undefined;
  const [only] = mappers as [ProtocolMapperRep];
  // Exactly one of the two audience keys: the client one wins even when empty, and a second value confuses.
  const other = key === 'included.client.audience' ? 'included.custom.audience' : 'included.client.audience';
  if (only.protocolMapper !== AUDIENCE_MAPPER || other in (only.config ?? {})) return undefined;
  if ((only.protocol ?? 'openid-connect') !== 'openid-connect') return undefined;
  return only;
}

/** An existing scope that already is exactly what the plan would create. */
export function reusable(scope: ClientScopeRep, audit: ClientAudit, client: ClientRep, context: Context): boolean {
  const only = onlyAudienceMapper(scope, context);
  const expected = audienceMapper('', audit.clientId, needsLightweightFlag(audit, client, context)).config;
  return only !== undefined && Object.entries(expected).every(([key, value]) => only.config?.[key] === value);
}

/**
 * An existing audience scope of an API client that works for every caller as it is. Looser than `reusable`:
 * it is not the callers' own fix, so only what decides whether their access tokens carry the audience counts.
 */
export function reusableAudienceScope(scope: ClientScopeRep, audience: string, lightweight: boolean, context: Context) {
  const config = onlyAudienceMapper(scope, context)?.config ?? {};
  return (
    config['included.client.audience'] === audience &&
    config[ACCESS_TOKEN_FLAG] === 'true' &&
    (!lightweight || config[LIGHTWEIGHT_FLAG] === 'true')
  );
}

/** The same for a custom audience: its one mapper adds exactly `value` as Included Custom Audience. */
export function reusableCustomAudienceScope(
  scope: ClientScopeRep,
  value: string,
  lightweight: boolean,
  context: Context,
) {
  const config = onlyAudienceMapper(scope, context, 'included.custom.audience')?.config ?? {};
  return (
    config['included.custom.audience'] === value &&
    config[ACCESS_TOKEN_FLAG] === 'true' &&
    (!lightweight || config[LIGHTWEIGHT_FLAG] === 'true')
  );
}
