import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MINIMUM_JAVA = 17;

export interface JavaRuntime {
  javaHome: string;
  major: number;
  version: string;
}

/** Reads the version from `java -version` output, e.g. `openjdk version "17.0.15" 2025-04-15`. */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const parts = version.split(/[.+_-]/);
  const first = Number(parts[0]);
  // Java 8 and older report themselves as 1.x.
  const major = first === 1 ? Number(parts[1]) : first;
  return Number.isInteger(major) ? { version, major } : undefined;
}

function probe(javaBinary: string): JavaRuntime | undefined {
  // `java -version` prints to stderr.
  const result = spawnSync(javaBinary, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return runtimeOf(javaBinary, `${result.stderr}${result.stdout}`);
}

function runtimeOf(javaBinary: string, output: string): JavaRuntime | undefined {
  const parsed = parseJavaVersion(output);
  if (!parsed) return undefined;
  const resolved = javaBinary.includes('/') ? realpathSync(javaBinary) : whichJava(javaBinary);
  if (!resolved) return undefined;
  return { javaHome: dirname(dirname(resolved)), ...parsed };
}

function whichJava(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(':')) {
    const candidate = join(folder, name);
    if (folder && existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const list: string[] = [];
  if (env.JAVA_HOME) list.push(join(env.JAVA_HOME, 'bin', 'java'));
  list.push('java');
  const jvmFolder = '/usr/lib/jvm';
  if (existsSync(jvmFolder)) {
    for (const entry of readdirSync(jvmFolder).sort()) list.push(join(jvmFolder, entry, 'bin', 'java'));
  }
  return list;
}

/**
 * JAVA_HOME wins when it is new enough; then the `java` on the PATH (Java 17 on our machines);
 * then the JDKs under /usr/lib/jvm in name order.
 */
export function pickJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
  const tooOld: string[] = [];
  for (const candidate of candidates(env)) {
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    const runtime = probe(candidate);
    if (!runtime) continue;
    if (runtime.major >= MINIMUM_JAVA) return runtime;
    tooOld.push(`${runtime.version} (${runtime.javaHome})`);
  }
  const what = tooOld.length ? `found only ${tooOld.join(', ')}` : 'found no Java at all';
  throw new Error(`Keycloak needs Java ${MINIMUM_JAVA} or newer; ${what}. Install a JDK or set JAVA_HOME.`);
}
