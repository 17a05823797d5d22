import type {
  ClientPoliciesSnapshot,
  ClientRep,
  ClientScopeRep,
  ProtocolMapperRep,
  RealmSnapshot,
} from '../audit/snapshot.ts';
import { SCOPE_ATTRIBUTES } from './new-objects.ts';

/** A client scope as the Admin API returns it, with the attributes the plans give the scopes they create. */
export const scopeFixture = (
  name: string,
  mappers: ProtocolMapperRep[],
  settings: Partial<ClientScopeRep> = {},
): ClientScopeRep => ({
  id: `scope-${name}`,
  name,
  protocol: 'openid-connect',
  attributes: { ...SCOPE_ATTRIBUTES },
  protocolMappers: mappers,
  ...settings,
});

/** Realm "demo" as a planner sees it: every scope known to have no role scope mappings unless told otherwise. */
export function planRealmFixture(
  clients: ClientRep[],
  options: {
    scopes?: ClientScopeRep[];
    restrictions?: Record<string, boolean>;
    policies?: ClientPoliciesSnapshot;
  } = {},
): RealmSnapshot {
  const scopes = options.scopes ?? [];
  return {
    realm: 'demo',
    keycloakVersion: undefined,
    clients,
    clientScopes: scopes,
    mapperTypes: undefined,
    scopeRoleRestrictions: {
      ...Object.fromEntries(scopes.map((item) => [item.id, false])),
      ...options.restrictions,
    },
    clientPolicies: options.policies,
  };
}
