import { AUDIENCE_MAPPER } from '../../audit/mappers.ts';
import type { ClientRep } from '../../audit/snapshot.ts';
import { sameMapper } from '../compare.ts';
import { StepError } from '../ids.ts';
import { isConflict } from '../port.ts';
import { asciiJson, shellQuote } from '../shell.ts';
import type { ClientTarget, MapperBody, PlanStep, StoredMapper, WriteOf } from '../types.ts';
import { audienceEffect, updateSentence } from '../words.ts';
import { clientOf, clientWords, type WriteKindSpec } from './kind.ts';
import { putBody, replaceMapper, updateMapper, updatePresence, withoutId } from './mapper-update.ts';

export const target = (client: ClientRep): ClientTarget => ({ id: client.id, clientId: client.clientId });

/** A new mapper on the client itself; undone by deleting it again. */
export function addClientMapperStep(client: ClientRep, mapper: MapperBody): PlanStep {
  return {
    write: { kind: 'create-client-mapper', client: target(client), mapper },
    undo: { kind: 'delete-client-mapper', client: target(client), mapperName: mapper.name },
    clientIds: [client.clientId],
  };
}

/** A changed mapper of the client; undone by writing the previous one back. */
export function updateClientMapperStep(client: ClientRep, mapper: StoredMapper, replaces: StoredMapper): PlanStep {
  return {
    write: { kind: 'update-client-mapper', client: target(client), mapper, replaces },
    undo: { kind: 'update-client-mapper', client: target(client), mapper: replaces, replaces: mapper },
    clientIds: [client.clientId],
  };
}

const mappersPath = (paths: { client(client: ClientTarget): string }, client: ClientTarget) =>
  `${paths.client(client)}/protocol-mappers/models`;

export const createClientMapper: WriteKindSpec<WriteOf<'create-client-mapper'>> = {
  describe(write) {
    const effect = audienceEffect(write.mapper);
    const what = write.mapper.protocolMapper === AUDIENCE_MAPPER ? 'Audience mapper' : 'mapper';
    return `Add ${what} "${write.mapper.name}" to ${clientWords(write.client)}${effect ? ` (${effect})` : ''}`;
  },
  rest: (write, paths) => ({ method: 'POST', path: mappersPath(paths, write.client), body: write.mapper }),
  kcadm: (write, names) => [
    `kc create "${names.client(write.client)}/protocol-mappers/models" -b ${shellQuote(asciiJson(write.mapper))}`,
  ],
  async apply(api, realm, write, ids) {
    try {
      const id = await api.createClientMapper(realm, write.client.id, write.mapper);
      ids.setMapper(write.client.id, write.mapper.name, id);
      return { outcome: 'written', createdId: id, writes: 1 };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const existing = (await api.clientMappers(realm, write.client.id)).find(
        (mapper) => mapper.name === write.mapper.name,
      );
      if (existing && sameMapper(existing, write.mapper)) return { outcome: 'already-there', writes: 0 };
      if (!existing) {
        throw new StepError(
          `Keycloak refused mapper "${write.mapper.name}" of client "${write.client.clientId}" as a duplicate (409), yet no mapper of that name is there; read the realm again and retry`,
        );
      }
      throw new StepError(
        `client "${write.client.clientId}" already has a mapper named "${write.mapper.name}" with other settings; it was left as it is`,
      );
    }
  },
  presence(write, { snapshot, createdId, ids }) {
    const mapper = clientOf(snapshot, write.client.id)?.protocolMappers?.find((item) =>
      createdId ? item.id === createdId : item.name === write.mapper.name,
    );
    if (!mapper?.id) return { state: 'absent' };
    if (!sameMapper(mapper, write.mapper)) {
      return { state: 'changed', reason: `mapper "${write.mapper.name}" of "${write.client.clientId}" was changed` };
    }
    ids.setMapper(write.client.id, write.mapper.name, mapper.id);
    return { state: 'in-place' };
  },
  simulate(write, draft) {
    draft.client(write.client.id).protocolMappers.push({ ...write.mapper, id: `new-${write.mapper.name}` });
  },
  created: (write, id) => ({ kind: 'client-mapper', id, name: write.mapper.name, clientId: write.client.clientId }),
};

export const deleteClientMapper: WriteKindSpec<WriteOf<'delete-client-mapper'>> = {
  describe: (write) => `Delete mapper "${write.mapperName}" of ${clientWords(write.client)}`,
  rest: (write, paths) => ({
    method: 'DELETE',
    path: `${mappersPath(paths, write.client)}/{id of mapper "${write.mapperName}" of client "${write.client.clientId}"}`,
  }),
  kcadm(write, names) {
    const container = names.client(write.client);
    return [
      names.mapperLookup(container, write.mapperName),
      `kc delete "${container}/protocol-mappers/models/$MAPPER_ID"`,
    ];
  },
  async apply(api, realm, write, ids) {
    const id = ids.mapper(write.client.id, write.mapperName);
    if (!id) throw new StepError(`the id of mapper "${write.mapperName}" is not known`);
    await api.deleteClientMapper(realm, write.client.id, id);
    return { outcome: 'written', writes: 1 };
  },
  presence: (write, { snapshot }) =>
    clientOf(snapshot, write.client.id)?.protocolMappers?.some((item) => item.name === write.mapperName)
      ? { state: 'absent' }
      : { state: 'in-place' },
  simulate(write, draft) {
    const client = draft.client(write.client.id);
    client.protocolMappers = client.protocolMappers.filter((mapper) => mapper.name !== write.mapperName);
  },
  created: () => undefined,
};

export const updateClientMapper: WriteKindSpec<WriteOf<'update-client-mapper'>> = {
  describe: (write) => updateSentence(write.mapper, write.replaces, clientWords(write.client)),
  rest: (write, paths) => ({
    method: 'PUT',
    path: `${mappersPath(paths, write.client)}/${encodeURIComponent(write.mapper.id)}`,
    body: putBody(write.mapper),
  }),
  kcadm: (write, names) => mapperUpdateLines(names.client(write.client), write.mapper, write.replaces, names),
  apply: async (api, realm, write) =>
    updateMapper(
      await api.clientMappers(realm, write.client.id),
      write.mapper,
      write.replaces,
      () => api.updateClientMapper(realm, write.client.id, write.mapper),
      clientWords(write.client),
    ),
  presence: (write, { snapshot }) =>
    updatePresence(clientOf(snapshot, write.client.id)?.protocolMappers, write.mapper, write.replaces),
  simulate(write, draft) {
    replaceMapper(draft.client(write.client.id).protocolMappers, write.mapper);
  },
  created: () => undefined,
};

/** Finds the mapper by its old name, then PUTs the new body with the id kcadm.sh found. */
export function mapperUpdateLines(
  container: string,
  mapper: StoredMapper,
  replaces: StoredMapper,
  names: { mapperLookup(container: string, name: string): string },
): string[] {
  return [
    names.mapperLookup(container, replaces.name),
    `kc update "${container}/protocol-mappers/models/$MAPPER_ID" -n -b "$(with_id "$MAPPER_ID" ${shellQuote(asciiJson(withoutId(mapper)))})"`,
  ];
}
