import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type { AdminClient } from './admin.ts';
import { adminCall } from './errors.ts';

export type ClientType = 'public' | 'confidential' | 'bearer-only';

/** What the client list shows. Built field by field, so secrets never leave this module. */
export interface ClientSummary {
  id: string;
  clientId: string;
  name: string | undefined;
  protocol: string;
  type: ClientType;
  enabled: boolean;
}

export function clientType(client: ClientRepresentation): ClientType {
  if (client.bearerOnly) return 'bearer-only';
  return client.publicClient ? 'public' : 'confidential';
}

/** Built-in clients are named by message keys such as `${client_account}`: no name to show. */
function readableName(name: string | undefined): string | undefined {
  return name && !/^\$\{[^}]+\}$/.test(name) ? name : undefined;
}

export function summarizeClient(client: ClientRepresentation): ClientSummary {
  return {
    id: client.id ?? '',
    clientId: client.clientId ?? '',
    name: readableName(client.name),
    protocol: client.protocol ?? 'openid-connect',
    type: clientType(client),
    enabled: client.enabled !== false,
  };
}

export async function listClients(admin: AdminClient, realm: string): Promise<ClientSummary[]> {
  const clients = await adminCall(() => admin.clients.find({ realm }));
  return clients.map(summarizeClient).sort((a, b) => a.clientId.localeCompare(b.clientId));
}
