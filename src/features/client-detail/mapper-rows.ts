import { audienceValue, canWriteAud, isAudienceResolveMapper } from '../../audit/mappers.ts';
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

/** Mappers that can change `aud`: Audience, Audience Resolve, and anything whose claim path resolves to aud. */
export function affectsAud(mapper: ProtocolMapperRep): boolean {
  return canWriteAud(mapper) || isAudienceResolveMapper(mapper);
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
      : (audienceValue(mapper)?.value ?? config['claim.value'] ?? '');
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
