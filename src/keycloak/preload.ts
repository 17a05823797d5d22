type Reader = typeof import('./audited-read.ts');

let reader: Promise<Reader> | undefined;

/**
 * The realm reader, loaded once. The read after sign-in awaits this kept promise: a new `import()` of a
 * module already loaded still settles in a task of its own, after the first render and layout of the
 * shell (about 70 ms later on this machine), where a settled promise continues at once. A failed load is
 * not kept, so that the next read tries again.
 */
export function loadReader(): Promise<Reader> {
  reader ??= import('./audited-read.ts').catch((error: unknown) => {
    reader = undefined;
    throw error;
  });
  return reader;
}

/**
 * Starts loading the admin client and the realm reader while config.json, the probe and the sign-in go
 * on: afterwards they were loaded one after another, about 0.2 s before the first admin request. A failed
 * load shows where the code is used.
 */
export function preloadReader(): void {
  import('@keycloak/keycloak-admin-client').catch(() => undefined);
  loadReader().catch(() => undefined);
}
