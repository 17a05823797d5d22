import type { Io } from './io.ts';

/** The question before an undo, ending in the default answer, as shells ask. */
export function undoQuestion(writes: number, runId: string, realm: string): string {
  return `Undo ${writes} write${writes === 1 ? '' : 's'} of run ${runId} in realm ${realm}? [y/N] `;
}

/** Only y or yes agrees; anything else, an empty line included, is no. */
export const agrees = (answer: string) => /^y(es)?$/i.test(answer.trim());

/**
 * Whether to go ahead: yes with --yes; yes without asking when stdin is not a terminal (a pipeline, where
 * nobody could answer); otherwise what the person at the terminal answers.
 */
export async function confirm(io: Pick<Io, 'interactive' | 'ask'>, question: string, yes: boolean): Promise<boolean> {
  if (yes || !io.interactive) return true;
  return agrees(await io.ask(question));
}
