/** Keycloak's client-scope name rule: printable ASCII without space, `"` and `\` (400 "Unexpected name" otherwise). */
const SCOPE_NAME_CHAR = /[\x21\x23-\x5B\x5D-\x7E]/;

export const MAX_NAME_LENGTH = 240;
const HASH_LENGTH = 8;

/** FNV-1a over the UTF-16 code units: short, stable and dependency-free; only used to keep altered names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/** Why Keycloak would refuse a scope name, or undefined when it takes it as is. */
export function scopeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'A client scope needs a name.';
  if (name.length > MAX_NAME_LENGTH) return `At most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).`;
  const bad = [...name].find((char) => !SCOPE_NAME_CHAR.test(char));
  if (bad !== undefined) return `"${bad === ' ' ? 'space' : bad}" is not allowed: use letters, digits and - _ . : etc.`;
  return undefined;
}

/**
 * `wanted` made acceptable to Keycloak: other characters become "-", and a name that had to be
 * changed or shortened ends in a hash of the original, so two different wishes never meet.
 */
export function validScopeName(wanted: string): string {
  const cleaned = [...wanted].map((char) => (SCOPE_NAME_CHAR.test(char) ? char : '-')).join('');
  if (cleaned === wanted && wanted.length > 0 && wanted.length <= MAX_NAME_LENGTH) return wanted;
  const suffix = `-${shortHash(wanted)}`;
  const base = (cleaned || 'audience').slice(0, MAX_NAME_LENGTH - suffix.length);
  return `${base}${suffix}`;
}

/** The n-th alternative of a name (n ≥ 2), still within the length limit. */
export function numberedName(name: string, n: number): string {
  const suffix = `-${n}`;
  return `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
}

/** A mapper or scope name "<clientId>-audience", valid and within the limit. */
export function audienceName(clientId: string): string {
  return validScopeName(`${clientId}-audience`);
}

/**
 * A mapper or scope name for a custom audience, which may be a URL or hold any character: the scheme is
 * dropped and every run of characters other than letters, digits, "." and "_" becomes one "-", so that
 * "https://api.example.com/v1" gives "api.example.com-v1-audience". Two values that give the same name
 * never share a scope: one is reused only when its mapper adds exactly the value.
 */
export function customAudienceName(value: string): string {
  const readable = value
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
    .replace(/[^A-Za-z0-9._]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return validScopeName(`${readable || 'custom'}-audience`);
}
