import type { ProtocolMapperRep } from '../../audit/snapshot.ts';

export interface MapperRow {
  container: string;
  attachment: 'dedicated' | 'default' | 'optional';
  mapper: string;
  type: string;
  value: string;
  accessToken: string;
  lightweight: string;
  idToken: string;
}

const AUD_TYPES = new Set(['oidc-audience-mapper', 'oidc-audience-resolve-mapper']);

/** Mappers that can change `aud`: Audience, Audience Resolve, and anything writing a claim named aud. */
export function affectsAud(mapper: ProtocolMapperRep): boolean {
  return AUD_TYPES.has(mapper.protocolMapper ?? '') || mapper.config?.['claim.name'] === 'aud';
}

const flag = (value: string | undefined) => value ?? '(not set)';

export function mapperRow(
  container: string,
  attachment: MapperRow['attachment'],
  mapper: ProtocolMapperRep,
): MapperRow {
  const config = mapper.config ?? {};
  const value =
    mapper.protocolMapper === 'oidc-audience-resolve-mapper'
      ? 'clients the user has roles of'
      : (config['included.client.audience'] ?? config['included.custom.audience'] ?? config['claim.value'] ?? '');
  return {
    container,
    attachment,
    mapper: mapper.name ?? '(unnamed)',
    type: mapper.protocolMapper ?? '',
    value,
    accessToken: flag(config['access.token.claim']),
    lightweight: flag(config['lightweight.claim']),
    idToken: flag(config['id.token.claim']),
  };
}
