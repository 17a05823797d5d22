import { expect, type Page } from '@playwright/test';

/** A value that must never leave Keycloak's answers and keycloak-js's memory, named for the failure message. */
export interface Secret {
  name: string;
  value: string;
}

/** A JWT, its payload and signature parts, and its jti (which would show decoded claims). */
export function jwtSecrets(name: string, token: string): Secret[] {
  const [, payload = '', signature = ''] = token.split('.');
  const secrets = [
    { name, value: token },
    { name: `${name} (payload part)`, value: payload },
    { name: `${name} (signature part)`, value: signature },
  ];
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: unknown };
    if (typeof claims.jti === 'string' && claims.jti.length >= 16)
      secrets.push({ name: `${name} (jti)`, value: claims.jti });
  } catch {
    // Not a JWT: the token itself is still checked.
  }
  return secrets.filter((secret) => secret.value.length >= 16);
}

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

/**
 * Every token Keycloak's token endpoint hands the page (code exchange and refreshes), read from the
 * responses themselves; the list grows while the page runs.
 */
export function captureTokens(page: Page): Secret[] {
  const secrets: Secret[] = [];
  let answers = 0;
  page.on('response', async (response) => {
    if (response.request().method() !== 'POST' || !response.url().endsWith('/protocol/openid-connect/token')) return;
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body) return;
    answers += 1;
    for (const field of TOKEN_FIELDS) {
      const value = body[field];
      if (typeof value === 'string') secrets.push(...jwtSecrets(`${field} #${answers}`, value));
    }
  });
  return secrets;
}

/** Fails with the names of the secrets that `text` contains, and where. */
export function assertNoSecrets(where: string, text: string, secrets: Secret[]) {
  const found = secrets.filter((secret) => text.includes(secret.value)).map((secret) => secret.name);
  expect(found, `${where} holds secrets`).toEqual([]);
}

/** localStorage, sessionStorage, every IndexedDB database and document.cookie, as one JSON text. */
export async function browserStorageText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const entries = (storage: Storage) =>
      Object.fromEntries(
        Array.from({ length: storage.length }, (_, index) => storage.key(index) ?? '').map((key) => [
          key,
          storage.getItem(key),
        ]),
      );
    const request = <T>(call: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        call.onsuccess = () => resolve(call.result);
        call.onerror = () => reject(call.error);
      });
    const databases: Record<string, Record<string, unknown>> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const database = await request(indexedDB.open(name));
      const stores: Record<string, unknown> = {};
      for (const store of Array.from(database.objectStoreNames)) {
        const objects = database.transaction(store, 'readonly').objectStore(store);
        stores[store] = { keys: await request(objects.getAllKeys()), values: await request(objects.getAll()) };
      }
      database.close();
      databases[name] = stores;
    }
    return JSON.stringify({
      localStorage: entries(localStorage),
      sessionStorage: entries(sessionStorage),
      indexedDB: databases,
      cookie: document.cookie,
    });
  });
}

export interface ReactStateScan {
  /** The names of the secrets found anywhere in React's state, props and context, or in the query cache. */
  found: string[];
  /** The TanStack Query cache: each query's key, data and error, and each mutation's variables and data. */
  queryCache: string;
  /** How many objects were looked at: a scan that saw nothing proves nothing. */
  objects: number;
}

/**
 * Everything React holds for the page, read from the production build from outside: React keeps its
 * root fiber on the container element (`__reactContainer$…`), so every component's props, hook state
 * and context value is reachable, and so is the QueryClient given to QueryClientProvider. Its caches
 * keep their entries in private fields, so they are read through the public getAll(). `window`'s own
 * properties are scanned too.
 */
export async function scanReactState(page: Page, secrets: Secret[]): Promise<ReactStateScan> {
  return page.evaluate((needles) => {
    type Fiber = { child: Fiber | null; sibling: Fiber | null; memoizedProps: unknown; memoizedState: unknown };
    type QueryClientLike = {
      getQueryCache(): { getAll(): { queryKey: unknown; state: { data: unknown; error: unknown } }[] };
      getMutationCache(): { getAll(): { state: { variables: unknown; data: unknown; error: unknown } }[] };
    };
    const container = document.getElementById('root') as (HTMLElement & Record<string, unknown>) | null;
    const rootKey = container && Object.keys(container).find((key) => key.startsWith('__reactContainer$'));
    if (!container || !rootKey) throw new Error('no React root on #root');

    const roots: unknown[] = [window, history.state];
    let queryClient: QueryClientLike | undefined;
    const fibers: Fiber[] = [container[rootKey] as Fiber];
    while (fibers.length > 0) {
      const fiber = fibers.pop() as Fiber;
      roots.push(fiber.memoizedProps, fiber.memoizedState);
      const client = (fiber.memoizedProps as { client?: Partial<QueryClientLike> } | null)?.client;
      if (typeof client?.getQueryCache === 'function') queryClient = client as QueryClientLike;
      if (fiber.child) fibers.push(fiber.child);
      if (fiber.sibling) fibers.push(fiber.sibling);
    }
    if (!queryClient) throw new Error('no QueryClientProvider in the React tree');

    const asText = (error: unknown) =>
      error instanceof Error ? { ...error, name: error.name, message: error.message } : error;
    const cache = {
      queries: queryClient
        .getQueryCache()
        .getAll()
        .map((query) => ({ key: query.queryKey, data: query.state.data, error: asText(query.state.error) })),
      mutations: queryClient
        .getMutationCache()
        .getAll()
        .map((mutation) => ({
          variables: mutation.state.variables,
          data: mutation.state.data,
          error: asText(mutation.state.error),
        })),
    };
    roots.push(cache);

    // Every string reachable from the roots through own properties, Map and Set entries; DOM nodes are left out.
    const seen = new Set<unknown>();
    const found = new Set<string>();
    const pending = [...roots];
    while (pending.length > 0 && seen.size < 500_000) {
      const value = pending.pop();
      if (typeof value === 'string') {
        for (const needle of needles) if (value.includes(needle.value)) found.add(needle.name);
        continue;
      }
      if (value === null || typeof value !== 'object' || seen.has(value) || value instanceof Node) continue;
      seen.add(value);
      if (value instanceof Map) {
        for (const [key, item] of value) pending.push(key, item);
      } else if (value instanceof Set) {
        for (const item of value) pending.push(item);
      }
      let keys: string[] = [];
      try {
        keys = Object.keys(value);
      } catch {
        continue;
      }
      for (const key of keys) {
        pending.push(key);
        try {
          pending.push((value as Record<string, unknown>)[key]);
        } catch {
          // A getter that throws (cross-origin frames and the like) holds nothing of ours.
        }
      }
    }

    const replacer = () => {
      const serialised = new WeakSet<object>();
      return (_key: string, item: unknown) => {
        if (item instanceof Map) return Object.fromEntries(item);
        if (item instanceof Set) return [...item];
        if (item && typeof item === 'object') {
          if (serialised.has(item)) return '[seen]';
          serialised.add(item);
        }
        return item;
      };
    };
    return { found: [...found], queryCache: JSON.stringify(cache, replacer()), objects: seen.size };
  }, secrets);
}
