import type { ClientScopeRep, ProtocolMapperRep } from '../audit/snapshot.ts';
import { toApiError } from '../keycloak/errors.ts';
import type { RemediationApi, StoredMapperRep } from '../keycloak/remediation-api.ts';
import type { ScopeBody, Write } from './plan.ts';

export type StepOutcome =
  /** This run wrote it. */
  | 'written'
  /** It was already exactly so (a repeat, or a double click): nothing written, nothing to undo. */
  | 'already-there';

/** Short words for a write, for messages; the preview has the full sentences. */
export function writeLabel(write: Write): string {
  const client = 'client' in write ? ` of client "${write.client.clientId}"` : '';
  switch (write.kind) {
    case 'create-client-mapper':
      return `create mapper "${write.mapper.name}"${client}`;
    case 'delete-client-mapper':
      return `delete mapper "${write.mapperName}"${client}`;
    case 'update-client-mapper':
      return `update mapper "${write.mapper.name}"${client}`;
    case 'create-scope':
      return `create client scope "${write.scope.name}"`;
    case 'delete-scope':
      return `delete client scope "${write.scope.name}"`;
    case 'update-scope-mapper':
      return `update mapper "${write.mapper.name}" of client scope "${write.scope.name}"`;
    case 'attach-default-scope':
      return `attach client scope "${write.scope.name}" as default${client}`;
    case 'detach-default-scope':
      return `remove default client scope "${write.scope.name}"${client}`;
    case 'attach-optional-scope':
      return `attach client scope "${write.scope.name}" as optional${client}`;
    case 'detach-optional-scope':
      return `remove optional client scope "${write.scope.name}"${client}`;
  }
}

/**
 * Whether `stored` does what `wanted` says. Keycloak adds defaults of its own when it stores a mapper
 * (e.g. "userinfo.token.claim": "false"), so extra settings count only when they switch something on.
 */
export function sameMapper(stored: ProtocolMapperRep, wanted: ProtocolMapperRep): boolean {
  const have = stored.config ?? {};
  const want = wanted.config ?? {};
  return (
    stored.name === wanted.name &&
    stored.protocolMapper === wanted.protocolMapper &&
    Object.keys(want).every((key) => have[key] === want[key]) &&
    Object.keys(have).every((key) => key in want || have[key] === 'false')
  );
}

export function sameScope(existing: ClientScopeRep, wanted: ScopeBody): boolean {
  const attributes = existing.attributes ?? {};
  const mappers = existing.protocolMappers ?? [];
  return (
    (existing.protocol ?? 'openid-connect') === wanted.protocol &&
    Object.entries(wanted.attributes).every(([key, value]) => attributes[key] === value) &&
    mappers.length === wanted.protocolMappers.length &&
    wanted.protocolMappers.every((mapper) => mappers.some((candidate) => sameMapper(candidate, mapper)))
  );
}

export class StepError extends Error {}

/** Ids of the objects a run created or found, by the names the plan uses. */
export class Ids {
  private readonly scopes = new Map<string, string>();
  private readonly mappers = new Map<string, string>();

  setScope(name: string, id: string) {
    this.scopes.set(name, id);
  }
  setMapper(clientUuid: string, name: string, id: string) {
    this.mappers.set(`${clientUuid}\n${name}`, id);
  }
  mapper(clientUuid: string, name: string) {
    return this.mappers.get(`${clientUuid}\n${name}`);
  }
  async scope(api: RemediationApi, realm: string, target: { name: string; id?: string }): Promise<string> {
    const known = target.id ?? this.scopes.get(target.name) ?? (await api.scopeByName(realm, target.name))?.id;
    if (!known) throw new StepError(`client scope "${target.name}" does not exist (any more)`);
    return known;
  }
}

export interface Applied {
  outcome: StepOutcome;
  createdId?: string;
  writes: number;
}

async function updateMapper(
  current: StoredMapperRep[],
  wanted: StoredMapperRep,
  replaces: StoredMapperRep,
  put: () => Promise<void>,
  where: string,
): Promise<Applied> {
  const now = current.find((mapper) => mapper.id === wanted.id);
  if (!now) throw new StepError(`mapper "${wanted.name}" of ${where} was deleted since the preview`);
  if (sameMapper(now, wanted)) return { outcome: 'already-there', writes: 0 };
  if (!sameMapper(now, replaces)) {
    throw new StepError(`mapper "${wanted.name}" of ${where} was changed since the preview; nothing was overwritten`);
  }
  await put();
  return { outcome: 'written', writes: 1 };
}

export async function applyWrite(api: RemediationApi, realm: string, write: Write, ids: Ids): Promise<Applied> {
  switch (write.kind) {
    case 'create-client-mapper': {
      try {
        const id = await api.createClientMapper(realm, write.client.id, write.mapper);
        ids.setMapper(write.client.id, write.mapper.name, id);
        return { outcome: 'written', createdId: id, writes: 1 };
      } catch (error) {
        if (toApiError(error).kind !== 'conflict') throw error;
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
    }
    case 'create-scope': {
      try {
        const id = await api.createScope(realm, write.scope);
        ids.setScope(write.scope.name, id);
        return { outcome: 'written', createdId: id, writes: 1 };
      } catch (error) {
        if (toApiError(error).kind !== 'conflict') throw error;
        const existing = await api.scopeByName(realm, write.scope.name);
        if (existing && sameScope(existing, write.scope) && !(await api.scopeHasRoleMappings(realm, existing.id))) {
          ids.setScope(write.scope.name, existing.id);
          return { outcome: 'already-there', writes: 0 };
        }
        throw new StepError(
          `a client scope named "${write.scope.name}" was created by someone else meanwhile and holds other settings; choose another name`,
        );
      }
    }
    case 'update-client-mapper':
      return updateMapper(
        await api.clientMappers(realm, write.client.id),
        write.mapper,
        write.replaces,
        () => api.updateClientMapper(realm, write.client.id, write.mapper),
        `client "${write.client.clientId}"`,
      );
    case 'update-scope-mapper': {
      const scopeId = await ids.scope(api, realm, write.scope);
      return updateMapper(
        await api.scopeMappers(realm, scopeId),
        write.mapper,
        write.replaces,
        () => api.updateScopeMapper(realm, scopeId, write.mapper),
        `client scope "${write.scope.name}"`,
      );
    }
    case 'attach-default-scope':
    case 'attach-optional-scope': {
      const scopeId = await ids.scope(api, realm, write.scope);
      await api.linkScope(
        realm,
        write.client.id,
        scopeId,
        write.kind === 'attach-default-scope' ? 'default' : 'optional',
      );
      return { outcome: 'written', writes: 1 };
    }
    case 'detach-default-scope':
    case 'detach-optional-scope': {
      const scopeId = await ids.scope(api, realm, write.scope);
      const as = write.kind === 'detach-default-scope' ? 'default' : 'optional';
      await api.unlinkScope(realm, write.client.id, scopeId, as);
      return { outcome: 'written', writes: 1 };
    }
    case 'delete-client-mapper': {
      const id = ids.mapper(write.client.id, write.mapperName);
      if (!id) throw new StepError(`the id of mapper "${write.mapperName}" is not known`);
      await api.deleteClientMapper(realm, write.client.id, id);
      return { outcome: 'written', writes: 1 };
    }
    case 'delete-scope': {
      await api.deleteScope(realm, await ids.scope(api, realm, write.scope));
      return { outcome: 'written', writes: 1 };
    }
  }
}

/** The reason of a failed write, in words for the admin. */
export const failureReason = (error: unknown) =>
  error instanceof StepError ? error.message : toApiError(error).message;
