/**
 * Starts loading the admin client and the realm reader while config.json, the probe and the sign-in go
 * on: afterwards they were loaded one after another, about 0.2 s before the first admin request. A failed
 * load shows where the code is used.
 */
export function preloadReader(): void {
  import('@keycloak/keycloak-admin-client').catch(() => undefined);
  import('./audited-read.ts').catch(() => undefined);
}
