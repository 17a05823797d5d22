#!/usr/bin/env node
import { runCli } from './cli.ts';

/**
 * The few parts of Node's process used here, declared in this module only: Node's own types would leak into
 * the browser app, which shares this TypeScript project.
 */
declare const process: {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { isTTY?: boolean; write(text: string): boolean };
  stderr: { write(text: string): boolean };
  exitCode: number | undefined;
};

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  color,
});
