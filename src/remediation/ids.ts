import type { RemediationApi } from './port.ts';
import type { ScopeTarget } from './types.ts';

/** A write that cannot go ahead, in words for the admin. */
export class StepError extends Error {
  override name = 'StepError';
}

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
  async scope(api: RemediationApi, realm: string, target: ScopeTarget): Promise<string> {
    const known = target.id ?? this.scopes.get(target.name) ?? (await api.scopeByName(realm, target.name))?.id;
    if (!known) throw new StepError(`client scope "${target.name}" does not exist (any more)`);
    return known;
  }
}
