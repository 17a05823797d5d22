import type { ClientRep, ClientScopeRep, RealmSnapshot } from '../audit/snapshot.ts';
import type { Plan } from './types.ts';
import { kindOf } from './write-kinds/index.ts';
import type { Draft } from './write-kinds/kind.ts';

/** The snapshot as it would be after the plan: lets the engine predict the result before anything is written. */
export function simulate(snapshot: RealmSnapshot, plan: Plan): RealmSnapshot {
  const clients = snapshot.clients.map((client) => ({
    ...client,
    protocolMappers: [...(client.protocolMappers ?? [])],
    defaultClientScopes: [...(client.defaultClientScopes ?? [])],
    optionalClientScopes: [...(client.optionalClientScopes ?? [])],
  }));
  let clientScopes: ClientScopeRep[] = snapshot.clientScopes.map((scope) => ({
    ...scope,
    protocolMappers: [...(scope.protocolMappers ?? [])],
  }));
  const scopeRoleRestrictions = { ...snapshot.scopeRoleRestrictions };
  const draft: Draft = {
    client(id) {
      const client = clients.find((item) => item.id === id);
      if (!client) throw new Error(`the plan writes to client ${id}, which is not in the snapshot`);
      return client as ReturnType<Draft['client']> & ClientRep;
    },
    scope: (name) => clientScopes.find((scope) => scope.name === name) as ReturnType<Draft['scope']>,
    addScope(scope) {
      clientScopes.push(scope);
      // A scope the plan creates has no role scope mappings.
      scopeRoleRestrictions[scope.id] = false;
    },
    removeScope(name) {
      clientScopes = clientScopes.filter((scope) => scope.name !== name);
    },
  };
  for (const { write } of plan.steps) kindOf(write).simulate(write, draft);
  return { ...snapshot, clients, clientScopes, scopeRoleRestrictions };
}
