import type { ClientRep } from '../../audit/snapshot.ts';
import type { PlanStep, ScopeTarget, WriteOf } from '../types.ts';
import { target } from './client-mapper.ts';
import { clientOf, type WriteKindSpec } from './kind.ts';

type LinkKind = 'attach-default-scope' | 'detach-default-scope' | 'attach-optional-scope' | 'detach-optional-scope';
type LinkWrite = WriteOf<LinkKind>;

/**
 * The scope as a default scope of the client. Keycloak silently ignores a default link while an optional
 * one exists, so that one is removed first.
 */
export function linkAsDefault(client: ClientRep, scope: ScopeTarget, optionalNow: boolean): PlanStep[] {
  const clientIds = [client.clientId];
  const steps: PlanStep[] = [];
  if (optionalNow) {
    steps.push({
      write: { kind: 'detach-optional-scope', client: target(client), scope },
      undo: { kind: 'attach-optional-scope', client: target(client), scope },
      clientIds,
    });
  }
  steps.push({
    write: { kind: 'attach-default-scope', client: target(client), scope },
    undo: { kind: 'detach-default-scope', client: target(client), scope },
    clientIds,
  });
  return steps;
}

/** One link kind: which list, and whether the write adds the scope to it or takes it out. */
function linkKind(as: 'default' | 'optional', adds: boolean): WriteKindSpec<LinkWrite> {
  const list = as === 'default' ? 'default-client-scopes' : 'optional-client-scopes';
  const listed = (write: LinkWrite, client: ClientRep | undefined) =>
    (as === 'default' ? client?.defaultClientScopes : client?.optionalClientScopes)?.includes(write.scope.name) ===
    true;
  const article = as === 'default' ? 'a default' : 'an optional';
  return {
    describe: (write) =>
      adds
        ? `Attach client scope "${write.scope.name}" to "${write.client.clientId}" as ${article} scope`
        : `Remove the ${as} link of scope "${write.scope.name}" from "${write.client.clientId}"`,
    rest: (write, paths) => ({
      method: adds ? 'PUT' : 'DELETE',
      path: `${paths.client(write.client)}/${list}/${paths.scope(write.scope)}`,
    }),
    kcadm(write, names) {
      const client = names.client(write.client);
      const before: string[] = [];
      const scope = names.scope(write.scope, before);
      // The link PUT has no body; kcadm.sh then sends it as it is, without reading first.
      return [...before, `kc ${adds ? 'update' : 'delete'} "${client}/${list}/$${scope}"`];
    },
    async apply(api, realm, write, ids) {
      const scopeId = await ids.scope(api, realm, write.scope);
      if (adds) await api.linkScope(realm, write.client.id, scopeId, as);
      else await api.unlinkScope(realm, write.client.id, scopeId, as);
      return { outcome: 'written', writes: 1 };
    },
    presence: (write, { snapshot }) =>
      listed(write, clientOf(snapshot, write.client.id)) === adds ? { state: 'in-place' } : { state: 'absent' },
    simulate(write, draft) {
      const client = draft.client(write.client.id);
      const key = as === 'default' ? 'defaultClientScopes' : 'optionalClientScopes';
      const others = client[key].filter((name) => name !== write.scope.name);
      client[key] = adds ? [...others, write.scope.name] : others;
    },
    created: () => undefined,
  };
}

export const attachDefaultScope: WriteKindSpec<WriteOf<'attach-default-scope'>> = linkKind('default', true);
export const detachDefaultScope: WriteKindSpec<WriteOf<'detach-default-scope'>> = linkKind('default', false);
export const attachOptionalScope: WriteKindSpec<WriteOf<'attach-optional-scope'>> = linkKind('optional', true);
export const detachOptionalScope: WriteKindSpec<WriteOf<'detach-optional-scope'>> = linkKind('optional', false);
