/** Every in-app link is built here, so a route's shape changes in one place. */
export const paths = {
  clients: {
    pattern: '/realms/:realm/clients',
    to: ({ realm }: { realm: string }) => `/realms/${encodeURIComponent(realm)}/clients`,
  },
  trustMap: {
    pattern: '/realms/:realm/trust-map',
    to: ({ realm }: { realm: string }) => `/realms/${encodeURIComponent(realm)}/trust-map`,
  },
} as const;

// Only names that no decoding changes: wouter decodes the path before it matches, and a read started here
// under another spelling would be a second read of the realm.
const plainRealm = '([A-Za-z0-9._~-]+)';
const realmScreens = [paths.clients.pattern, paths.trustMap.pattern].map(
  (pattern) => new RegExp(`^${pattern.replace(':realm', plainRealm)}/?$`, 'i'),
);

/**
 * The realm whose clients a screen's path shows (the clients table, the trust map), when its name is plain;
 * the app starts reading it before its first render.
 */
export function realmInPath(path: string): string | undefined {
  for (const screen of realmScreens) {
    const match = screen.exec(path);
    if (match) return match[1];
  }
  return undefined;
}
