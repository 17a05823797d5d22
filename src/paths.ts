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
