import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from '@playwright/test';
import { repoRoot } from '../keycloak/settings.ts';
import { keycloakUrl } from './admin-api.ts';

export const CLI_ENTRY = join(repoRoot, 'dist-cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Builds dist-cli/ as `npm run build` does, so the specs run what users run. */
export async function buildCli(): Promise<void> {
  await promisify(execFile)('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot });
}

const SECRET_OPTIONS = new Set(['--password', '--client-secret']);
const SECRET_VARIABLES = ['AUDIENCE_DOCTOR_PASSWORD', 'AUDIENCE_DOCTOR_CLIENT_SECRET'];

/** The passwords and secrets a run was given; the short demo ones ("demo", "admin") also name realms and users. */
function secretsOf(args: string[], env: Record<string, string>): string[] {
  const secrets = args.filter((_, index) => index > 0 && SECRET_OPTIONS.has(args[index - 1] ?? ''));
  for (const arg of args) {
    const [name, value] = arg.split('=', 2);
    if (value && SECRET_OPTIONS.has(name ?? '')) secrets.push(value);
  }
  for (const name of SECRET_VARIABLES) if (env[name]) secrets.push(env[name]);
  return secrets.filter((secret) => secret.length >= 8);
}

/**
 * Runs a command (the built CLI unless told otherwise) with a clean environment: only PATH, HOME and
 * `env`. Every run is checked for the secrets it was given: none may reach stdout or stderr.
 */
export async function runCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<CliRun> {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  for (const secret of secretsOf(args, env)) {
    expect(stdout, `a secret reached stdout of ${command}`).not.toContain(secret);
    expect(stderr, `a secret reached stderr of ${command}`).not.toContain(secret);
  }
  return { code, stdout, stderr };
}

export const runCli = (args: string[], env: Record<string, string> = {}) =>
  runCommand(process.execPath, [CLI_ENTRY, ...args], env);

/** `audit --url <the harness's Keycloak> …` */
export const audit = (args: string[], env: Record<string, string> = {}) =>
  runCli(['audit', '--url', keycloakUrl(), ...args], env);

export const asMasterAdmin = ['--username', 'admin', '--password', 'admin'];

/** A failed audit: exit 2, nothing on stdout, exactly one line on stderr that starts with "error: ". */
export function assertCannotAudit(run: CliRun, reason: string | RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^error: /);
  if (typeof reason === 'string') expect(run.stderr).toContain(reason);
  else expect(run.stderr).toMatch(reason);
  expect(run.code).toBe(2);
}
