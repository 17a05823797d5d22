import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings, repoRoot } from '../keycloak/settings.ts';
import { keycloakUrl } from './admin-api.ts';
import { CLI_ENTRY, type CliRun, runCommand } from './cli.ts';

/** The harness's admin, from the environment as a pipeline would pass it. */
export const adminEnv = (): Record<string, string> => {
  const settings = readSettings();
  return { AUDIENCE_DOCTOR_USERNAME: settings.adminUsername, AUDIENCE_DOCTOR_PASSWORD: settings.adminPassword };
};

/** `fix --url <the harness's Keycloak> …`, signed in as the master admin. */
export const fix = (args: string[], stdin?: string) =>
  runCommand(process.execPath, [CLI_ENTRY, 'fix', '--url', keycloakUrl(), ...args], adminEnv(), stdin);

/** A folder of its own for one test's plan and journal files. */
export const workDir = () => mkdtempSync(join(tmpdir(), 'audience-doctor-fix-'));

export interface RunningFix {
  child: ChildProcess;
  done: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/** Starts `fix …` without waiting for it, to act on Keycloak or on the process while it runs. */
export function startFix(args: string[]): RunningFix {
  const child = spawn(process.execPath, [CLI_ENTRY, 'fix', '--url', keycloakUrl(), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...adminEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export interface JournalLike {
  runId: string;
  state: string;
  keycloakUrl: string;
  realm: string;
  steps: { index: number; status: string; write: { kind: string; scope?: { name: string } }; clientIds: string[] }[];
}

/**
 * Reads the journal file over and over until `until` holds. Every read must be a whole JSON document: the
 * file is replaced atomically, so a half-written one is a failure, not something to wait out.
 */
export async function watchJournal(
  path: string,
  until: (journal: JournalLike) => boolean,
  timeoutMs = 30_000,
): Promise<JournalLike> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const journal = JSON.parse(text) as JournalLike;
      if (until(journal)) return journal;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the journal ${path} never got there within ${timeoutMs} ms`);
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The first line of an `error:` on stderr. */
export const errorLine = (run: CliRun) => run.stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
