import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AdminClient } from '../../keycloak/admin.ts';
import { listClients } from '../../keycloak/clients.ts';
import { useSession } from '../../keycloak/session-context.tsx';

/** Query keys go from general to specific and always start with the realm. */
export const clientKeys = {
  all: (realm: string) => ['realms', realm, 'clients'] as const,
};

export const clientsQueryOptions = (admin: AdminClient, realm: string) =>
  queryOptions({ queryKey: clientKeys.all(realm), queryFn: () => listClients(admin, realm) });

export function useClients(realm: string) {
  const { admin } = useSession();
  return useQuery(clientsQueryOptions(admin, realm));
}
