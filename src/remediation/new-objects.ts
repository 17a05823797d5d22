import { ACCESS_TOKEN_FLAG, AUDIENCE_MAPPER, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import type { MapperBody } from './types.ts';

export const DEFAULT_SHARED_SCOPE_NAME = 'shared-audience';

export const SCOPE_ATTRIBUTES: Readonly<Record<string, string>> = {
  'include.in.token.scope': 'false',
  'display.on.consent.screen': 'false',
};

const MAX_DESCRIPTION_LENGTH = 255;

/** Every object a run creates says who made it, for whom, and in which run, so it can be traced back later. */
export function provenance(clientIds: string[], runId: string): string {
  const suffix = ` (run ${runId})`;
  const quoted = clientIds.map((clientId) => `"${clientId}"`);
  const full = `Created by Audience Doctor for client${clientIds.length > 1 ? 's' : ''} ${quoted.join(', ')}${suffix}`;
  if (full.length <= MAX_DESCRIPTION_LENGTH) return full;
  const short = `Created by Audience Doctor for ${clientIds.length} client${clientIds.length > 1 ? 's' : ''}${suffix}`;
  return short.length <= MAX_DESCRIPTION_LENGTH ? short : `Created by Audience Doctor${suffix}`.slice(0, 255);
}

/** The description of an API client's audience scope: whose audience it adds, then who made it and when. */
export function audienceScopeDescription(audienceClientId: string, runId: string): string {
  const origin = provenance([audienceClientId], runId);
  const texts = [
    `Audience scope of client "${audienceClientId}": the clients it is attached to get "${audienceClientId}" in aud. ${origin}`,
    `Audience scope of an API client. ${origin}`,
  ];
  const fitting = texts.find((text) => text.length <= MAX_DESCRIPTION_LENGTH);
  return (
    fitting ??
    `Audience scope of an API client. Created by Audience Doctor (run ${runId})`.slice(0, MAX_DESCRIPTION_LENGTH)
  );
}

/**
 * The description of a custom audience's scope: the value it adds, then who made it and when. The value is
 * no client, so the provenance names the callers it was made for.
 */
export function customAudienceScopeDescription(value: string, callerIds: string[], runId: string): string {
  const origin = provenance(callerIds, runId);
  const texts = [
    `Audience scope of custom audience "${value}": the clients it is attached to get "${value}" in aud. ${origin}`,
    `Audience scope of a custom audience. ${origin}`,
  ];
  const fitting = texts.find((text) => text.length <= MAX_DESCRIPTION_LENGTH);
  return (
    fitting ??
    `Audience scope of a custom audience. Created by Audience Doctor (run ${runId})`.slice(0, MAX_DESCRIPTION_LENGTH)
  );
}

function audienceMapperOf(
  name: string,
  key: 'included.client.audience' | 'included.custom.audience',
  value: string,
  lightweight: boolean,
): MapperBody {
  return {
    name,
    protocol: 'openid-connect',
    protocolMapper: AUDIENCE_MAPPER,
    config: {
      [key]: value,
      [ACCESS_TOKEN_FLAG]: 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
      [LIGHTWEIGHT_FLAG]: lightweight ? 'true' : 'false',
    },
  };
}

/** The Audience mapper that puts `clientId` into access tokens (and, if `lightweight`, lightweight ones). */
export const audienceMapper = (name: string, clientId: string, lightweight: boolean) =>
  audienceMapperOf(name, 'included.client.audience', clientId, lightweight);

/**
 * The Audience mapper that puts the custom audience `value` into access tokens (and, if `lightweight`,
 * lightweight ones). It has no Included Client Audience key: that one would win even when empty.
 */
export const customAudienceMapper = (name: string, value: string, lightweight: boolean) =>
  audienceMapperOf(name, 'included.custom.audience', value, lightweight);
