/** `value` as one bash word that expands to exactly itself: single quotes, and ' as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * JSON in plain ASCII: kcadm.sh (Java) decodes its arguments in the locale's charset, so anything
 * else is escaped as \uXXXX, which every JSON reader decodes the same way.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
