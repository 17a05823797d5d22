import { readPageSize } from '../../src/cli/options.ts';
import { CLIENTS_PAGE_SIZE, type ClientsPageSize, DEFAULT_READ_CONCURRENCY } from '../../src/keycloak/snapshot.ts';

/**
 * The reference reader the subject is measured against: plain fetch with the subject's token, the
 * clients in pages of `pageSize` (first = 0, pageSize, 2·pageSize…), `concurrency` at a time, until a
 * page comes back empty, every body parsed; GET /client-scopes beside them, as the subject reads it too.
 *
 * The same function runs in Node and, through page.evaluate, in Chromium: so no helper of this module,
 * and no named function inside it (tsx would wrap it in a helper the page lacks).
 */
export interface ReadInput {
  base: string;
  realm: string;
  token: string;
  /** No page size: one unpaged GET /clients. */
  pageSize?: number;
  concurrency?: number;
}

export interface ReadResult {
  ms: number;
  clients: number;
  scopes: number;
  requests: number;
}

export async function referenceRead(input: ReadInput): Promise<ReadResult> {
  const headers = { authorization: `Bearer ${input.token}`, accept: 'application/json' };
  const realmUrl = `${input.base}/admin/realms/${encodeURIComponent(input.realm)}`;
  const started = performance.now();
  let requests = 0;
  let clients = 0;
  const scopesRead = fetch(`${realmUrl}/client-scopes`, { headers }).then(async (response) => {
    requests += 1;
    if (!response.ok) throw new Error(`GET /client-scopes answered ${response.status}`);
    return ((await response.json()) as unknown[]).length;
  });
  if (input.pageSize === undefined) {
    const response = await fetch(`${realmUrl}/clients`, { headers });
    requests += 1;
    if (!response.ok) throw new Error(`GET /clients answered ${response.status}`);
    clients = ((await response.json()) as unknown[]).length;
  } else {
    const size = input.pageSize;
    let next = 0;
    let ended = false;
    await Promise.all(
      Array.from({ length: input.concurrency ?? 1 }, async () => {
        while (!ended) {
          const first = next * size;
          next += 1;
          const response = await fetch(`${realmUrl}/clients?first=${first}&max=${size}`, { headers });
          requests += 1;
          if (!response.ok) throw new Error(`GET /clients?first=${first} answered ${response.status}`);
          const page = (await response.json()) as unknown[];
          if (page.length === 0) ended = true;
          clients += page.length;
        }
      }),
    );
  }
  const scopes = await scopesRead;
  return { ms: performance.now() - started, clients, scopes, requests };
}

export const PAGE_SIZES = [100, 250, 500] as const;
export const CONCURRENCIES = [1, 4, 10] as const;

export interface Setting {
  pageSize: number;
  concurrency: number;
}

export const settingLabel = (setting: Setting) => `${setting.pageSize}×${setting.concurrency}`;

const FULL_SWEEP: Setting[] = PAGE_SIZES.flatMap((pageSize) =>
  CONCURRENCIES.map((concurrency) => ({ pageSize, concurrency })),
);

/**
 * The reference's settings: all of PAGE_SIZES × CONCURRENCIES, or BENCH_SWEEP=100x4,250x4 for a shorter run
 * (at 10,000 clients one pass of the full sweep takes minutes; a shorter sweep is reported as such).
 */
export const SWEEP: Setting[] = process.env.BENCH_SWEEP
  ? process.env.BENCH_SWEEP.split(',').map((label) => {
      const [pageSize, concurrency] = label.split('x').map(Number);
      if (!Number.isInteger(pageSize) || !Number.isInteger(concurrency) || !pageSize || !concurrency) {
        throw new Error(`BENCH_SWEEP: "${label}" is not <page size>x<concurrency>`);
      }
      return { pageSize, concurrency };
    })
  : FULL_SWEEP;

const SWEEP_IS_FULL = FULL_SWEEP.every((setting) =>
  SWEEP.some((chosen) => settingLabel(chosen) === settingLabel(setting)),
);

/**
 * The subject's page size: BENCH_PAGE_SIZE=500 or =adaptive, read as the CLI reads --page-size (a bad value
 * fails the bench before anything is timed); unset, the subject reads with its default.
 */
export const SUBJECT_PAGE_SIZE: ClientsPageSize | undefined = process.env.BENCH_PAGE_SIZE
  ? readPageSize(process.env.BENCH_PAGE_SIZE)
  : undefined;

/** The subject's default setting: its fixed page size (the small one when adaptive), DEFAULT_READ_CONCURRENCY at once. */
export const SUBJECT_SETTING: Setting = {
  pageSize: typeof SUBJECT_PAGE_SIZE === 'number' ? SUBJECT_PAGE_SIZE : CLIENTS_PAGE_SIZE,
  concurrency: DEFAULT_READ_CONCURRENCY,
};

export const subjectPageSizeLabel = () =>
  `subject's page size ${SUBJECT_PAGE_SIZE ?? `${CLIENTS_PAGE_SIZE} (default)`}`;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Per setting, the warm times; the best is the setting with the lowest median. */
export function bestSetting(times: Map<string, number[]>): { label: string; ms: number } {
  let best = { label: '', ms: Number.POSITIVE_INFINITY };
  for (const [label, values] of times) {
    const ms = median(values);
    if (ms < best.ms) best = { label, ms };
  }
  return best;
}

/**
 * Beside the goals: the reference at the subject's own setting (its fixed page size, DEFAULT_READ_CONCURRENCY
 * requests at once), what the subject's requests cost without its own work and, in Chromium, without its
 * sign-in, and each series' median as a ratio to it. The goals' "paged read" may use a concurrency the subject
 * is not given by default (a production Keycloak is shared). Nothing for the adaptive size, or a setting the
 * sweep left out.
 */
export function printAtSubjectSetting(size: number, sweep: Map<string, number[]>, series: [string, number[]][]): void {
  if (SUBJECT_PAGE_SIZE === 'adaptive') return;
  const label = settingLabel(SUBJECT_SETTING);
  const runs = sweep.get(label);
  if (!runs?.length) return;
  const ms = median(runs);
  const ratios = series
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => `${name} ${(median(values) / ms).toFixed(2)} ×`);
  console.log(`  ${size}: the reference at the subject's setting (${label}) ${seconds(ms)}; ${ratios.join(', ')}`);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The issue's bound on the default concurrency ("4 or less": a production Keycloak is shared). */
export const CONCURRENCY_CAP = 4;

const concurrencyOf = (label: string) => Number(label.split('×')[1]);

export interface Floor {
  /** The paged read: the reference's best setting. */
  best: { label: string; ms: number };
  /** The reference's best setting at no more than CONCURRENCY_CAP requests at once. */
  capped: { label: string; ms: number };
  parts: (readonly [string, number])[];
  ms: number;
  /** The floor as a ratio to the paged read. */
  ratio: number;
}

/**
 * The least that any reader keeping to CONCURRENCY_CAP could take: the reference's best setting at that cap plus
 * the medians of what must happen before its first Admin API request and that only Keycloak or the runtime does
 * (the login form's POST, the code exchange, Node's start), that is a subject with no work of its own. Undefined
 * when the sweep has no setting within the cap.
 */
export function floorOf(sweep: Map<string, number[]>, unavoidable: [string, number[]][]): Floor | undefined {
  const best = bestSetting(sweep);
  const capped = bestSetting(new Map([...sweep].filter(([label]) => concurrencyOf(label) <= CONCURRENCY_CAP)));
  if (!Number.isFinite(best.ms) || !Number.isFinite(capped.ms)) return undefined;
  const parts = unavoidable
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => [name, median(values)] as const);
  const ms = parts.reduce((sum, [, part]) => sum + part, capped.ms);
  return { best, capped, parts, ms, ratio: ms / best.ms };
}

/**
 * Beside a ratio goal, its floor (floorOf): above the goal, no reader within the cap meets it on this server;
 * below it, what is left of the goal for the subject's own work.
 */
export function printFloor(
  size: number,
  what: string,
  sweep: Map<string, number[]>,
  unavoidable: [string, number[]][],
): void {
  const floor = floorOf(sweep, unavoidable);
  if (!floor) return;
  const { best, capped, parts, ratio } = floor;
  const terms = [
    `${seconds(capped.ms)} (reference ${capped.label}, its best at ≤ ${CONCURRENCY_CAP} at once)`,
    ...parts.map(([name, ms]) => `${seconds(ms)} ${name}`),
  ];
  const verdict =
    ratio > RATIO_GOAL
      ? `above the goal's ${RATIO_GOAL} ×: no reader within the cap meets it here`
      : `${(RATIO_GOAL - ratio).toFixed(2)} × of the paged read left for the subject's own work`;
  console.log(
    `  ${size}, ${what}: floor ${seconds(floor.ms)} = ${terms.join(' + ')} = ${ratio.toFixed(2)} × the paged read (${best.label}); ${verdict}`,
  );
}

/** The issue's goals for a complete read, shared by the Node and the Chromium bench. */
export const RATIO_GOAL = 1.3;
export const UNPAGED_GOAL = 0.25;
/** Below this size one unpaged GET is cheap, so the ratio to it is only reported. */
export const UNPAGED_GOAL_FROM = 5000;

/** The reference sweep of each realm as a table of medians, page size × concurrency. */
export function printSweeps(results: { realm: string; sweep: Map<string, number[]> }[], where: string): void {
  for (const figures of results) {
    console.log(`\n  ${figures.realm}: reference sweep${where}, median ms (page size × concurrency)`);
    if (!SWEEP_IS_FULL)
      console.log(`    a shorter sweep (BENCH_SWEEP=${process.env.BENCH_SWEEP}): "best" is the best of these`);
    console.log(`    page size ${CONCURRENCIES.map((c) => `C=${c}`.padStart(8)).join(' ')}`);
    for (const pageSize of PAGE_SIZES) {
      const cells = CONCURRENCIES.map((c) => {
        const runs = figures.sweep.get(settingLabel({ pageSize, concurrency: c }));
        return (runs ? median(runs).toFixed(0) : '—').padStart(8);
      });
      console.log(`    ${String(pageSize).padStart(9)} ${cells.join(' ')}`);
    }
  }
}

/**
 * Every warm run of each series in the order they ran (subject and reference alternate): a server that
 * slowed down during the bench shows in both series, a slow subject in one.
 */
export function printRuns(realm: string, series: [string, number[]][]): void {
  console.log(`\n  ${realm}: each warm run in order, s`);
  for (const [name, runs] of series) {
    if (runs.length === 0) continue;
    console.log(`    ${name.padEnd(24)} ${runs.map((ms) => (ms / 1000).toFixed(2).padStart(6)).join(' ')}`);
  }
}

/** Prints each goal as PASS or FAIL; true when all passed. */
export function printChecks(checks: [string, boolean][]): boolean {
  console.log('');
  for (const [label, passed] of checks) console.log(`  ${passed ? 'PASS' : 'FAIL'}  ${label}`);
  return checks.every(([, passed]) => passed);
}
