import { ACCESS_TOKEN_FLAG, AUDIENCE_MAPPER, audienceValue, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import type { MapperBody, StoredMapper } from './types.ts';

/** The admin console's labels, so that a sentence names the switch the admin will look for. */
const CONFIG_LABELS: Readonly<Record<string, string>> = {
  'included.client.audience': 'Included Client Audience',
  'included.custom.audience': 'Included Custom Audience',
  [ACCESS_TOKEN_FLAG]: 'Add to access token',
  [LIGHTWEIGHT_FLAG]: 'Add to lightweight access token',
  'introspection.token.claim': 'Add to token introspection',
  'id.token.claim': 'Add to ID token',
  'userinfo.token.claim': 'Add to userinfo',
};

const label = (key: string) => `"${CONFIG_LABELS[key] ?? key}"`;
const isFlagValue = (value: string | undefined) => value === undefined || value === 'true' || value === 'false';
const flagWord = (value: string | undefined) => (value === 'true' ? 'on' : value === 'false' ? 'off' : '(not set)');
const valueWord = (value: string | undefined) => (value === undefined ? '(not set)' : `"${value}"`);

/** "a", "a and b", "a, b and c". */
export function joined(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What an Audience mapper puts where, e.g. `adds orders-web to access tokens`. */
export function audienceEffect(mapper: MapperBody | StoredMapper): string | undefined {
  if (mapper.protocolMapper !== AUDIENCE_MAPPER) return undefined;
  // The engine's rule: the client audience wins whenever its key is there.
  const audience = audienceValue(mapper)?.value;
  if (!audience) return undefined;
  const config = mapper.config ?? {};
  if (config[ACCESS_TOKEN_FLAG] !== 'true') return `adds ${audience} to no access token`;
  const lightweight = config[LIGHTWEIGHT_FLAG] === 'true' ? ', lightweight ones too' : '';
  return `adds ${audience} to access tokens${lightweight}`;
}

export function mapperPhrase(mapper: MapperBody): string {
  const effect = audienceEffect(mapper);
  return mapper.protocolMapper === AUDIENCE_MAPPER
    ? `"${mapper.name}"${effect ? ` (${effect})` : ''}`
    : `"${mapper.name}" (${mapper.protocolMapper})`;
}

/** Which settings an update changes, old → new; switches that only go on (or off) read as one verb. */
export function updateSentence(mapper: StoredMapper, replaces: StoredMapper, where: string): string {
  const before = replaces.config ?? {};
  const after = mapper.config ?? {};
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
    (key) => before[key] !== after[key],
  );
  const turnedOn = keys.filter((key) => isFlagValue(before[key]) && after[key] === 'true');
  const turnedOff = keys.filter((key) => before[key] === 'true' && isFlagValue(after[key]));
  const renamed = mapper.name !== replaces.name;
  const subject = `mapper "${replaces.name}" of ${where}`;
  if (!renamed && keys.length > 0 && turnedOn.length === keys.length) {
    return `Turn on ${joined(turnedOn.map(label))} in ${subject}`;
  }
  if (!renamed && keys.length > 0 && turnedOff.length === keys.length) {
    return `Turn off ${joined(turnedOff.map(label))} in ${subject}`;
  }
  const changes = keys.map((key) =>
    isFlagValue(before[key]) && isFlagValue(after[key])
      ? `${label(key)} ${flagWord(before[key])} → ${flagWord(after[key])}`
      : `${label(key)} ${valueWord(before[key])} → ${valueWord(after[key])}`,
  );
  if (renamed) changes.unshift(`name "${replaces.name}" → "${mapper.name}"`);
  if (changes.length === 0) return `Write ${subject} again, unchanged`;
  return `Change ${subject}: ${changes.join(', ')}`;
}
