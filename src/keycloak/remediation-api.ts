import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type { ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../audit/snapshot.ts';
import type { AdminClient } from './admin.ts';
import { adminCall } from './errors.ts';
import { loadSnapshot, scopeHasRoleMappings, toMapper, toScopeRep } from './snapshot.ts';

/** A mapper or scope body as the plan writes it; ids come back from Keycloak. */
export interface NewMapper {
  name: string;
  protocol: string;
  protocolMapper: string;
  config: Record<string, string>;
}

export interface NewScope {
  name: string;
  description: string;
  protocol: string;
  attributes: Record<string, string>;
  protocolMappers: NewMapper[];
}

export type StoredMapperRep = ProtocolMapperRep & { id: string };

/** Every read and write the fix wizard needs, each answering in plain data or throwing an ApiError. */
export interface RemediationApi {
  loadSnapshot(realm: string): Promise<RealmSnapshot>;
  createClientMapper(realm: string, clientUuid: string, mapper: NewMapper): Promise<string>;
  clientMappers(realm: string, clientUuid: string): Promise<StoredMapperRep[]>;
  updateClientMapper(realm: string, clientUuid: string, mapper: StoredMapperRep): Promise<void>;
  deleteClientMapper(realm: string, clientUuid: string, mapperId: string): Promise<void>;
  createScope(realm: string, scope: NewScope): Promise<string>;
  scopeByName(realm: string, name: string): Promise<ClientScopeRep | undefined>;
  /** Whether the scope has role scope mappings (then its mappers apply only to holders of those roles). */
  scopeHasRoleMappings(realm: string, scopeId: string): Promise<boolean>;
  scopeMappers(realm: string, scopeId: string): Promise<StoredMapperRep[]>;
  updateScopeMapper(realm: string, scopeId: string, mapper: StoredMapperRep): Promise<void>;
  deleteScope(realm: string, scopeId: string): Promise<void>;
  linkScope(realm: string, clientUuid: string, scopeId: string, as: 'default' | 'optional'): Promise<void>;
  unlinkScope(realm: string, clientUuid: string, scopeId: string, as: 'default' | 'optional'): Promise<void>;
}

const storedMappers = (mappers: ProtocolMapperRepresentation[]): StoredMapperRep[] =>
  mappers.map(toMapper).filter((mapper): mapper is StoredMapperRep => typeof mapper.id === 'string');

export function createRemediationApi(admin: AdminClient): RemediationApi {
  // The admin client's addProtocolMapper drops the Location header; this request keeps the new id.
  const postClientMapper = admin.clients.makeUpdateRequest<{ id: string; realm: string }, NewMapper, { id: string }>({
    method: 'POST',
    path: '/{id}/protocol-mappers/models',
    urlParamKeys: ['id'],
    returnResourceIdInLocationHeader: { field: 'id' },
  });

  return {
    loadSnapshot: (realm) => loadSnapshot(admin, realm),

    createClientMapper: async (realm, clientUuid, mapper) =>
      (await adminCall(() => postClientMapper({ id: clientUuid, realm }, mapper))).id,

    clientMappers: async (realm, clientUuid) =>
      storedMappers(await adminCall(() => admin.clients.listProtocolMappers({ realm, id: clientUuid }))),

    updateClientMapper: (realm, clientUuid, mapper) =>
      adminCall(() => admin.clients.updateProtocolMapper({ realm, id: clientUuid, mapperId: mapper.id }, mapper)),

    deleteClientMapper: (realm, clientUuid, mapperId) =>
      adminCall(() => admin.clients.delProtocolMapper({ realm, id: clientUuid, mapperId })),

    createScope: async (realm, scope) => (await adminCall(() => admin.clientScopes.create({ realm, ...scope }))).id,

    scopeByName: async (realm, name) => {
      const scope = await adminCall(() => admin.clientScopes.findOneByName({ realm, name }));
      return scope?.id && scope.name ? toScopeRep(scope) : undefined;
    },

    scopeHasRoleMappings: (realm, scopeId) => scopeHasRoleMappings(admin, realm, scopeId),

    scopeMappers: async (realm, scopeId) =>
      storedMappers(await adminCall(() => admin.clientScopes.listProtocolMappers({ realm, id: scopeId }))),

    updateScopeMapper: (realm, scopeId, mapper) =>
      adminCall(() => admin.clientScopes.updateProtocolMapper({ realm, id: scopeId, mapperId: mapper.id }, mapper)),

    deleteScope: (realm, scopeId) => adminCall(() => admin.clientScopes.del({ realm, id: scopeId })),

    linkScope: (realm, clientUuid, clientScopeId, as) =>
      adminCall(() =>
        as === 'default'
          ? admin.clients.addDefaultClientScope({ realm, id: clientUuid, clientScopeId })
          : admin.clients.addOptionalClientScope({ realm, id: clientUuid, clientScopeId }),
      ),

    unlinkScope: (realm, clientUuid, clientScopeId, as) =>
      adminCall(() =>
        as === 'default'
          ? admin.clients.delDefaultClientScope({ realm, id: clientUuid, clientScopeId })
          : admin.clients.delOptionalClientScope({ realm, id: clientUuid, clientScopeId }),
      ),
  };
}
