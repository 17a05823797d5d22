/** The few synchronous calls of Node's fs the CLI uses, so that nothing else of Node's types is needed here. */
export interface SyncFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string, options: { encoding: 'utf8'; flag: 'wx'; flush: boolean }): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

const hasCode = (error: unknown, code: string) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

/** A file's text, or undefined when there is no such file; other failures (permissions, a folder) throw. */
export function readText(fs: SyncFs, path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Replaces a file's text all at once: a new file next to it (same folder, so the rename stays on one
 * file system) flushed to disk, then renamed over the old one. A reader, or a run killed halfway, sees the
 * old text or the new one, never a part.
 */
export function writeAtomically(fs: SyncFs, path: string, text: string): void {
  const temporary = `${path}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    fs.writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx', flush: true });
    fs.renameSync(temporary, path);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** One line on why a file could not be read or written. */
export function fileProblem(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
