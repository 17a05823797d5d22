import type { SyncFs } from './files.ts';
import type { Io } from './io.ts';

interface ReadlineInterface {
  question(query: string, answer: (line: string) => void): void;
  once(event: 'close', listener: () => void): void;
  close(): void;
}

/**
 * The few parts of Node's process used by the CLI, declared in this module only: Node's own types would leak
 * into the browser app, which shares this TypeScript project. Modules come through getBuiltinModule
 * (Node 20.16 and later) for the same reason.
 */
declare const process: {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: { isTTY?: boolean };
  stdout: { isTTY?: boolean; write(text: string): boolean };
  stderr: { isTTY?: boolean; write(text: string): boolean };
  exitCode: number | undefined;
  getBuiltinModule(id: 'node:fs'): SyncFs;
  getBuiltinModule(id: 'node:readline'): {
    createInterface(options: { input: unknown; output: unknown; terminal: boolean }): ReadlineInterface;
  };
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): void;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): void;
};

/** One question on the terminal: the prompt on stderr, so that stdout stays the report. */
function ask(question: string): Promise<string> {
  const readline = process.getBuiltinModule('node:readline');
  const terminal = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    terminal.once('close', () => {
      if (!answered) resolve('');
    });
    terminal.question(question, (line) => {
      answered = true;
      terminal.close();
      resolve(line);
    });
  });
}

/** While a run is on, the first SIGINT or SIGTERM cancels it (which rolls it back); a second one ends the process. */
function onInterrupt(cancel: () => void): () => void {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const handler = () => {
    for (const signal of signals) process.off(signal, handler);
    cancel();
  };
  for (const signal of signals) process.once(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

export const commandLine = () => process.argv.slice(2);

export function nodeIo(): Io {
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    fs: process.getBuiltinModule('node:fs'),
    interactive: process.stdin.isTTY === true,
    progress: process.stderr.isTTY === true,
    ask,
    onInterrupt,
  };
}

export function setExitCode(code: number): void {
  process.exitCode = code;
}
