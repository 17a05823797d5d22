import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { portIsFree } from '../keycloak/server.ts';
import { repoRoot } from '../keycloak/settings.ts';

/** The recipes in deploy/, by folder name. */
export type Recipe = 'nginx' | 'same-origin';

export interface NginxServer {
  stop(): Promise<void>;
}

const nginxBinary = () => process.env.NGINX_PATH || (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

/** A loopback port from the environment, or the default the fixture client's redirect URIs list. */
export function deployPort(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable} must be a port number between 1 and 65535, got "${value}"`);
  }
  return port;
}

/** A temp folder that nginx's worker (an unprivileged user when started as root) can read. */
function readableTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `audience-doctor-${name}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** A production build of the dashboard in a folder of its own, so other runs rebuilding dist/ cannot disturb it. */
export async function buildDashboard(): Promise<string> {
  const outDir = readableTempDir('build');
  await promisify(execFile)('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repoRoot,
  });
  return outDir;
}

/** The build, unchanged, plus the config.json of one deployment. */
export function deployBuild(build: string, config: Record<string, unknown>): string {
  const root = readableTempDir('root');
  cpSync(build, root, { recursive: true });
  writeFileSync(join(root, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return root;
}

/** mime.types beside the nginx.conf nginx was built to read. */
async function mimeTypesFile(): Promise<string> {
  const { stderr } = await promisify(execFile)(nginxBinary(), ['-V']).catch((error: Error) => {
    throw new Error(`cannot run ${nginxBinary()} (${error.message}): install nginx, or set NGINX_PATH`);
  });
  const confPath = stderr.match(/--conf-path=(\S+)/)?.[1] ?? '/etc/nginx/nginx.conf';
  return join(dirname(confPath), 'mime.types');
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Renders a recipe with deploy/render.sh, as its README says, and runs it in a private nginx: own prefix,
 * config, logs, temp folders and pid file, in the foreground so that stopping it stops exactly this process.
 */
export async function startNginx(
  recipe: Recipe,
  port: number,
  root: string,
  variables: Record<string, string>,
): Promise<NginxServer> {
  if (!(await portIsFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is taken; choose another one (see deploy/README.md)`);
  }
  const mimeTypes = await mimeTypesFile();
  const prefix = readableTempDir(`nginx-${recipe}`);
  const confDir = join(prefix, 'conf');
  const logs = join(prefix, 'logs');
  mkdirSync(logs);
  mkdirSync(join(prefix, 'temp'));
  await promisify(execFile)('sh', [join(repoRoot, 'deploy', 'render.sh'), recipe, confDir], {
    env: {
      PATH: process.env.PATH ?? '',
      AUDIENCE_DOCTOR_LISTEN: `127.0.0.1:${port}`,
      AUDIENCE_DOCTOR_ROOT: root,
      ...variables,
    },
  }).catch((error: unknown) => {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  });
  const temp = (name: string) => join(prefix, 'temp', name);
  // The main file a distribution's nginx.conf would be; the recipe is its one server block.
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'worker_processes 1;',
      `error_log ${join(logs, 'error.log')} warn;`,
      `lock_file ${join(prefix, 'nginx.lock')};`,
      'events { worker_connections 256; }',
      'http {',
      `    include ${mimeTypes};`,
      '    default_type application/octet-stream;',
      `    access_log ${join(logs, 'access.log')};`,
      `    client_body_temp_path ${temp('body')};`,
      `    proxy_temp_path ${temp('proxy')};`,
      `    fastcgi_temp_path ${temp('fastcgi')};`,
      `    uwsgi_temp_path ${temp('uwsgi')};`,
      `    scgi_temp_path ${temp('scgi')};`,
      `    include ${join(confDir, 'audience-doctor.conf')};`,
      '}',
      '',
    ].join('\n'),
  );

  const child: ChildProcess = spawn(
    nginxBinary(),
    [
      '-p',
      `${prefix}/`,
      '-c',
      join(prefix, 'nginx.conf'),
      '-e',
      join(logs, 'error.log'),
      '-g',
      `daemon off; pid ${join(prefix, 'nginx.pid')};`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // No nginx to run: say so instead of waiting for a port that never opens.
    child.once('error', (error) => {
      stderr += `${nginxBinary()}: ${error.message} (install nginx, or set NGINX_PATH)\n`;
      resolve();
    });
  });
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const stop = async () => {
    if (running && child.pid !== undefined) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (running) child.kill('SIGKILL');
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };

  for (let waited = 0; !(await answers(port)); waited += 100) {
    if (!running || waited > 10_000) {
      const log = `${stderr}${tail(join(logs, 'error.log'))}`;
      await stop();
      throw new Error(`nginx (${recipe}) did not start on port ${port}:\n${log}`);
    }
    await sleep(100);
  }
  return { stop };
}
