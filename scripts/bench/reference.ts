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

export const SWEEP: Setting[] = PAGE_SIZES.flatMap((pageSize) =>
  CONCURRENCIES.map((concurrency) => ({ pageSize, concurrency })),
);

export const settingLabel = (setting: Setting) => `${setting.pageSize}×${setting.concurrency}`;

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

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
