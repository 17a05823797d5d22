import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pickJava } from './java.ts';
import { launchPlan } from './launch.ts';
import { type HarnessSettings, log, serverUrl, versionDir } from './settings.ts';

/** What `keycloak:stop` needs to stop exactly the server that `keycloak:start` started. */
export interface ServerState {
  pid: number;
  version: string;
  home: string;
  url: string;
  /** Null for a version without a management interface (24.x). */
  managementPort: number | null;
  /** `/health/ready`, on the management port or, for 24.x, on the main one. */
  healthUrl: string;
  logFile: string;
  dataDir: string;
  startedAt: string;
}

const stateFile = (settings: HarnessSettings) => join(versionDir(settings), 'server.json');

export function readState(settings: HarnessSettings): ServerState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(settings), 'utf8')) as ServerState;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Guards against a pid that was reused by some other program since the state file was written. */
function isOurServer(state: ServerState): boolean {
  if (!isAlive(state.pid)) return false;
  try {
    return readFileSync(`/proc/${state.pid}/cmdline`, 'utf8').includes(state.home);
  } catch {
    return true; // no /proc: trust the pid
  }
}

export async function isReady(healthUrl: string): Promise<boolean> {
  try {
    const response = await fetch(healthUrl, {
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** A harness-started server that is still up, or undefined. */
export async function runningServer(settings: HarnessSettings): Promise<ServerState | undefined> {
  const state = readState(settings);
  if (!state || !isOurServer(state)) return undefined;
  return (await isReady(state.healthUrl)) ? state : undefined;
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise(true)));
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

export async function startServer(settings: HarnessSettings, home: string): Promise<ServerState> {
  const dir = versionDir(settings);
  const dataDir = join(dir, 'data');
  const plan = launchPlan({ ...settings, dataDir });
  for (const port of [settings.httpPort, plan.managementPort ?? settings.httpPort]) {
    if (!(await portIsFree(port))) {
      throw new Error(
        `port ${port} on 127.0.0.1 is taken by another program; stop it, or choose other ports ` +
          'with KEYCLOAK_HTTP_PORT and KEYCLOAK_MANAGEMENT_PORT',
      );
    }
  }
  const java = pickJava();
  log(`using Java ${java.version} from ${java.javaHome}`);

  if (!settings.keepData) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dir, 'keycloak.log');
  const logFd = openSync(logFile, 'w');
  const started = Date.now();
  // detached: Keycloak gets its own process group, which `stopServer` signals as a whole.
  const child = spawn(join(home, 'bin', 'kc.sh'), plan.args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      JAVA_HOME: java.javaHome,
      // One JSON import of a realm with thousands of clients (the benchmarks) outlasts the default 300 s transaction.
      JAVA_OPTS_APPEND: [
        process.env.JAVA_OPTS_APPEND,
        '-Dquarkus.transaction-manager.default-transaction-timeout=3600s',
      ]
        .filter(Boolean)
        .join(' '),
      ...plan.env,
    },
  });
  closeSync(logFd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${join(home, 'bin', 'kc.sh')}`);
  const state: ServerState = {
    pid: child.pid,
    version: settings.version,
    home,
    url: serverUrl(settings),
    managementPort: plan.managementPort,
    healthUrl: plan.healthUrl,
    logFile,
    dataDir,
    startedAt: new Date(started).toISOString(),
  };
  writeFileSync(stateFile(settings), `${JSON.stringify(state, null, 2)}\n`);
  log(`starting Keycloak ${settings.version} (pid ${child.pid}), log: ${logFile}`);

  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exitCode = code ?? -1;
  });
  while (Date.now() - started < settings.startTimeoutMs) {
    if (exitCode !== null) {
      rmSync(stateFile(settings), { force: true });
      throw new Error(
        `Keycloak ${settings.version} exited with code ${exitCode} before it was ready. Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (await isReady(plan.healthUrl)) {
      log(`ready at ${state.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return state;
    }
    await sleep(500);
  }
  await stopServer(settings);
  throw new Error(
    `Keycloak ${settings.version} was not ready within ${settings.startTimeoutMs / 1000} s ` +
      `(KEYCLOAK_START_TIMEOUT raises the limit). Last lines of ${logFile}:\n${tail(logFile)}`,
  );
}

/** Stops the server this harness started, and nothing else. Returns false when none was running. */
export async function stopServer(settings: HarnessSettings): Promise<boolean> {
  const state = readState(settings);
  if (!state) return false;
  rmSync(stateFile(settings), { force: true });
  if (!isOurServer(state)) return false;
  process.kill(-state.pid, 'SIGTERM');
  for (let waited = 0; waited < 30_000 && isAlive(state.pid); waited += 250) await sleep(250);
  if (isAlive(state.pid)) {
    log(`Keycloak (pid ${state.pid}) ignored SIGTERM for 30 s; killing it`);
    process.kill(-state.pid, 'SIGKILL');
  }
  log(`stopped Keycloak (pid ${state.pid})`);
  return true;
}
