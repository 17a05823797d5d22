/**
 * For each character of a bash script, whether it lies between single quotes, where bash expands
 * nothing. Knows backslash escapes, double quotes and comments: enough for generated scripts.
 */
function singleQuoted(script: string): boolean[] {
  const inside: boolean[] = new Array(script.length).fill(false);
  let state: 'plain' | 'single' | 'double' | 'comment' = 'plain';
  for (let index = 0; index < script.length; index++) {
    const char = script[index];
    const previous = index > 0 ? script[index - 1] : '\n';
    switch (state) {
      case 'plain':
        if (char === '\\') index++;
        else if (char === "'") state = 'single';
        else if (char === '"') state = 'double';
        else if (char === '#' && /\s/.test(previous ?? '\n')) state = 'comment';
        break;
      case 'single':
        if (char === "'") state = 'plain';
        else inside[index] = true;
        break;
      case 'double':
        if (char === '\\') index++;
        else if (char === '"') state = 'plain';
        break;
      case 'comment':
        if (char === '\n') state = 'plain';
        break;
    }
  }
  return inside;
}

/** The lines on which `marker` (a text without quotes) occurs outside single quotes, in whole or in part. */
export function unquotedOccurrences(script: string, marker: string): string[] {
  if (/['"\\]/.test(marker)) throw new Error(`the marker must hold no quote or backslash: ${marker}`);
  const inside = singleQuoted(script);
  const lines: string[] = [];
  for (let start = script.indexOf(marker); start !== -1; start = script.indexOf(marker, start + 1)) {
    if ([...marker].some((_, offset) => !inside[start + offset])) {
      const lineStart = script.lastIndexOf('\n', start) + 1;
      const lineEnd = script.indexOf('\n', start);
      lines.push(script.slice(lineStart, lineEnd === -1 ? undefined : lineEnd));
    }
  }
  return lines;
}
