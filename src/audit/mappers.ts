import { claimPathIsAud } from './claim-path.ts';
import type { MapperRef } from './findings.ts';
import type { ProtocolMapperRep } from './snapshot.ts';

export const AUDIENCE_MAPPER = 'oidc-audience-mapper';
export const AUDIENCE_RESOLVE_MAPPER = 'oidc-audience-resolve-mapper';
const SCRIPT_MAPPER = 'oidc-script-based-protocol-mapper';

/**
 * Keycloak's own openid-connect mapper types that write `aud` only through `claim.name = aud`.
 * Anything else that is deployed (custom providers) could write it in ways we cannot see.
 */
const KNOWN_CLAIM_MAPPERS = new Set([
  'oidc-acr-mapper',
  'oidc-address-mapper',
  'oidc-allowed-origins-mapper',
  'oidc-amr-mapper',
  'oidc-claims-param-token-mapper',
  'oidc-claims-param-value-idtoken-mapper',
  'oidc-full-name-mapper',
  'oidc-group-membership-mapper',
  'oidc-hardcoded-claim-mapper',
  'oidc-hardcoded-role-mapper',
  'oidc-nonce-backwards-compatible-mapper',
  'oidc-organization-group-membership-mapper',
  'oidc-organization-membership-mapper',
  'oidc-role-name-mapper',
  'oidc-session-state-mapper',
  'oidc-sha256-pairwise-sub-mapper',
  'oidc-sub-mapper',
  'oidc-usermodel-attribute-mapper',
  'oidc-usermodel-client-role-mapper',
  'oidc-usermodel-property-mapper',
  'oidc-usermodel-realm-role-mapper',
  'oidc-usersessionmodel-note-mapper',
  AUDIENCE_MAPPER,
  AUDIENCE_RESOLVE_MAPPER,
]);

export const LIGHTWEIGHT_FLAG = 'lightweight.claim';
export const ACCESS_TOKEN_FLAG = 'access.token.claim';

export function mapperRef(mapper: ProtocolMapperRep): MapperRef {
  return { id: mapper.id, name: mapper.name ?? '(unnamed mapper)', type: mapper.protocolMapper ?? '(no type)' };
}

const config = (mapper: ProtocolMapperRep) => mapper.config ?? {};

/** The flag Keycloak reads for an access token: exactly the string "true" counts, absent is false. */
export function tokenFlagKey(lightweight: boolean): string {
  return lightweight ? LIGHTWEIGHT_FLAG : ACCESS_TOKEN_FLAG;
}

export function tokenFlagOn(mapper: ProtocolMapperRep, lightweight: boolean): boolean {
  return config(mapper)[tokenFlagKey(lightweight)] === 'true';
}

/** Audience resolve treats an absent access-token flag as on (backwards compatibility); not the lightweight one. */
export function audienceResolveOn(mapper: ProtocolMapperRep, lightweight: boolean): boolean {
  const value = config(mapper)[tokenFlagKey(lightweight)];
  return lightweight ? value === 'true' : value === undefined || value === 'true';
}

export function isAudienceMapper(mapper: ProtocolMapperRep): boolean {
  return mapper.protocolMapper === AUDIENCE_MAPPER;
}

export function isAudienceResolveMapper(mapper: ProtocolMapperRep): boolean {
  return mapper.protocolMapper === AUDIENCE_RESOLVE_MAPPER;
}

/** The client audience wins whenever its key is present, even empty; the custom one only when it is absent. */
export function audienceValue(mapper: ProtocolMapperRep): { value: string; key: string } | undefined {
  const values = config(mapper);
  if ('included.client.audience' in values) {
    return { value: values['included.client.audience'] ?? '', key: 'included.client.audience' };
  }
  const custom = values['included.custom.audience'];
  return custom === undefined ? undefined : { value: custom, key: 'included.custom.audience' };
}

export function isScriptMapper(type: string): boolean {
  return type === SCRIPT_MAPPER || type.startsWith('script-');
}

export type MapperEffect =
  /** Dropped by Keycloak: its provider is not deployed. */
  | 'not-deployed'
  /** Replaces or edits `aud` in a way the configuration does not show. */
  | 'override'
  | 'none';

/** How a mapper that runs may touch `aud`, besides the Audience and Audience Resolve mappers. */
export function mapperEffect(
  mapper: ProtocolMapperRep,
  lightweight: boolean,
  deployed: ReadonlySet<string> | undefined,
): MapperEffect {
  const type = mapper.protocolMapper ?? '';
  if (deployed && !deployed.has(type)) return 'not-deployed';
  if (isScriptMapper(type)) return tokenFlagOn(mapper, lightweight) ? 'override' : 'none';
  if (!KNOWN_CLAIM_MAPPERS.has(type)) return 'override';
  if (isAudienceMapper(mapper) || isAudienceResolveMapper(mapper)) return 'none';
  return claimPathIsAud(config(mapper)['claim.name']) && tokenFlagOn(mapper, lightweight) ? 'override' : 'none';
}

/** Mappers whose container's role scope mappings matter: they can put something into aud. */
export function canWriteAud(mapper: ProtocolMapperRep): boolean {
  return isAudienceMapper(mapper) || claimPathIsAud(config(mapper)['claim.name']);
}
