import type { Env } from './connection-options.ts';
import type { SyncFs } from './files.ts';

/** Everything the CLI needs from its process, handed in so that the commands run the same in a test. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Env;
  /** Whether stdout is a terminal that wants colour. */
  color: boolean;
  /** Whether stderr is a terminal, where a progress line can be redrawn in place. */
  progress: boolean;
  /** Plan files and journals. */
  fs: SyncFs;
  /** Whether stdin is a terminal, where someone can answer a question. */
  interactive: boolean;
  /** Asks on the terminal and resolves with the line typed ('' when input ends first). */
  ask(question: string): Promise<string>;
  /** Calls `cancel` on the first SIGINT or SIGTERM, until the returned function is called. */
  onInterrupt(cancel: () => void): () => void;
}
