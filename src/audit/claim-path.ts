/**
 * A mapper's `claim.name` is a path, not a literal: dots separate levels, a backslash keeps the next character
 * as it is, and a trailing dot adds no level. Keycloak's JsonUtils.splitClaimPath, rewritten.
 */
export function splitClaimPath(claim: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    let index = start;
    let part = '';
    while (index < claim.length) {
      const char = claim[index] as string;
      if (char === '\\' && index + 1 < claim.length) {
        part += claim[index + 1];
        index += 2;
      } else if (char === '\\' || char === '.') {
        break;
      } else {
        part += char;
        index += 1;
      }
    }
    // A level needs at least one character before its dot; anything else ends the splitting.
    if (claim[index] !== '.' || index === start) break;
    parts.push(part);
    start = index + 1;
  }
  if (claim.length > start) parts.push(claim.slice(start).replace(/\\(.)/g, '$1'));
  return parts;
}

// A realm has few distinct claim names, each seen on thousands of clients' mappers.
const audByClaim = new Map<string, boolean>();
const AUD_CACHE_LIMIT = 1000;

/** Whether a claim name resolves to the top-level `aud` (`aud`, `aud.`, `\aud` all do). */
export function claimPathIsAud(claim: string | undefined): boolean {
  if (claim === undefined) return false;
  let isAud = audByClaim.get(claim);
  if (isAud === undefined) {
    const path = splitClaimPath(claim);
    isAud = path.length === 1 && path[0] === 'aud';
    if (audByClaim.size >= AUD_CACHE_LIMIT) audByClaim.clear();
    audByClaim.set(claim, isAud);
  }
  return isAud;
}
