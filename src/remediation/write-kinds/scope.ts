import { AUDIENCE_MAPPER } from '../../audit/mappers.ts';
import { sameScope } from '../compare.ts';
import { StepError } from '../ids.ts';
import type { RunJournal } from '../journal-schema.ts';
import { isConflict } from '../port.ts';
import { asciiJson, shellQuote } from '../shell.ts';
import type { PlanStep, ScopeBody, ScopeTarget, StoredMapper, WriteOf } from '../types.ts';
import { joined, mapperPhrase, updateSentence } from '../words.ts';
import { mapperUpdateLines } from './client-mapper.ts';
import type { WriteKindSpec } from './kind.ts';
import { putBody, replaceMapper, updateMapper, updatePresence } from './mapper-update.ts';

/** A new scope with its mappers inline; undone by deleting it (after its links are gone). */
export function createScopeStep(body: ScopeBody, clientIds: string[]): PlanStep {
  return {
    write: { kind: 'create-scope', scope: body },
    undo: { kind: 'delete-scope', scope: { name: body.name } },
    clientIds,
  };
}

/** A changed mapper of a scope; undone by writing the previous one back. */
export function updateScopeMapperStep(
  scope: ScopeTarget,
  mapper: StoredMapper,
  replaces: StoredMapper,
  clientIds: string[],
): PlanStep {
  return {
    write: { kind: 'update-scope-mapper', scope, mapper, replaces },
    undo: { kind: 'update-scope-mapper', scope, mapper: replaces, replaces: mapper },
    clientIds,
  };
}

/** Clients this run attached the scope to, whose links it may remove again. */
function linksOfRun(journal: RunJournal, scopeName: string): Set<string> {
  return new Set(
    journal.steps.flatMap(({ write }) =>
      write.kind === 'attach-default-scope' && write.scope.name === scopeName ? [write.client.id] : [],
    ),
  );
}

export const createScope: WriteKindSpec<WriteOf<'create-scope'>> = {
  describe(write) {
    const mappers = write.scope.protocolMappers;
    if (mappers.length === 0) return `Create client scope "${write.scope.name}" without mappers`;
    const allAudience = mappers.every((mapper) => mapper.protocolMapper === AUDIENCE_MAPPER);
    const noun = `${allAudience ? 'Audience mapper' : 'mapper'}${mappers.length > 1 ? 's' : ''}`;
    return `Create client scope "${write.scope.name}" with ${noun} ${joined(mappers.map(mapperPhrase))}`;
  },
  rest: (write, paths) => ({ method: 'POST', path: `${paths.realm}/client-scopes`, body: write.scope }),
  kcadm: (write, names) => [
    `${names.newScope(write.scope.name)}=$(kc create client-scopes -i -b ${shellQuote(asciiJson(write.scope))})`,
  ],
  async apply(api, realm, write, ids) {
    try {
      const id = await api.createScope(realm, write.scope);
      ids.setScope(write.scope.name, id);
      return { outcome: 'written', createdId: id, writes: 1 };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const existing = await api.scopeByName(realm, write.scope.name);
      if (existing && sameScope(existing, write.scope) && !(await api.scopeHasRoleMappings(realm, existing.id))) {
        ids.setScope(write.scope.name, existing.id);
        return { outcome: 'already-there', writes: 0 };
      }
      throw new StepError(
        `a client scope named "${write.scope.name}" was created by someone else meanwhile and holds other settings; choose another name`,
      );
    }
  },
  presence(write, { snapshot, journal, createdId, ids }) {
    const scope = snapshot.clientScopes.find((item) =>
      createdId
        ? item.id === createdId
        : item.name === write.scope.name && item.description === write.scope.description,
    );
    if (!scope) return { state: 'absent' };
    if (!sameScope(scope, write.scope) || scope.description !== write.scope.description) {
      return { state: 'changed', reason: `client scope "${write.scope.name}" was changed` };
    }
    const ours = linksOfRun(journal, write.scope.name);
    const others = snapshot.clients.filter(
      (client) =>
        !ours.has(client.id) &&
        (client.defaultClientScopes?.includes(scope.name) || client.optionalClientScopes?.includes(scope.name)),
    );
    if (others.length > 0) {
      return {
        state: 'changed',
        reason: `client scope "${scope.name}" is now also attached to ${others.map((client) => `"${client.clientId}"`).join(', ')}`,
      };
    }
    ids.setScope(scope.name, scope.id);
    return { state: 'in-place' };
  },
  simulate(write, draft) {
    const id = `new-scope-${write.scope.name}`;
    draft.addScope({
      ...write.scope,
      id,
      protocolMappers: write.scope.protocolMappers.map((mapper) => ({ ...mapper, id: `${id}-${mapper.name}` })),
    });
  },
  created: (write, id) => ({ kind: 'client-scope', id, name: write.scope.name }),
};

export const deleteScope: WriteKindSpec<WriteOf<'delete-scope'>> = {
  describe: (write) => `Delete client scope "${write.scope.name}"`,
  rest: (write, paths) => ({ method: 'DELETE', path: `${paths.realm}/client-scopes/${paths.scope(write.scope)}` }),
  kcadm: (write, names) => {
    const before: string[] = [];
    const scope = names.scope(write.scope, before);
    return [...before, `kc delete "client-scopes/$${scope}"`];
  },
  async apply(api, realm, write, ids) {
    await api.deleteScope(realm, await ids.scope(api, realm, write.scope));
    return { outcome: 'written', writes: 1 };
  },
  presence: (write, { snapshot }) =>
    snapshot.clientScopes.some((scope) => scope.name === write.scope.name)
      ? { state: 'absent' }
      : { state: 'in-place' },
  simulate(write, draft) {
    draft.removeScope(write.scope.name);
  },
  created: () => undefined,
};

export const updateScopeMapper: WriteKindSpec<WriteOf<'update-scope-mapper'>> = {
  describe: (write) => updateSentence(write.mapper, write.replaces, `client scope "${write.scope.name}"`),
  rest: (write, paths) => ({
    method: 'PUT',
    path: `${paths.realm}/client-scopes/${paths.scope(write.scope)}/protocol-mappers/models/${encodeURIComponent(write.mapper.id)}`,
    body: putBody(write.mapper),
  }),
  kcadm(write, names) {
    const before: string[] = [];
    const scope = names.scope(write.scope, before);
    return [...before, ...mapperUpdateLines(`client-scopes/$${scope}`, write.mapper, write.replaces, names)];
  },
  async apply(api, realm, write, ids) {
    const scopeId = await ids.scope(api, realm, write.scope);
    return updateMapper(
      await api.scopeMappers(realm, scopeId),
      write.mapper,
      write.replaces,
      () => api.updateScopeMapper(realm, scopeId, write.mapper),
      `client scope "${write.scope.name}"`,
    );
  },
  presence: (write, { snapshot }) =>
    updatePresence(
      snapshot.clientScopes.find((scope) => scope.name === write.scope.name)?.protocolMappers,
      write.mapper,
      write.replaces,
    ),
  simulate(write, draft) {
    const scope = draft.scope(write.scope.name);
    if (scope) replaceMapper(scope.protocolMappers, write.mapper);
  },
  created: () => undefined,
};
