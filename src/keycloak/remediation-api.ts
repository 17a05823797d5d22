import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { type MapperBody, PortError, type RemediationApi, type StoredMapperRep } from '../remediation/port.ts';
import type { AdminClient } from './admin.ts';
import { clientSettingsOf, settingsBody } from './client-settings.ts';
import { adminCall, toApiError } from './errors.ts';
import { toMapper, toScopeRep } from './representations.ts';
import { scopeHasRoleMappings } from './scope-roles.ts';
import { loadSnapshot } from './snapshot.ts';
import { generateExampleToken, searchUsers, serviceAccountUserId } from './tokens.ts';

const storedMappers = (mappers: ProtocolMapperRepresentation[]): StoredMapperRep[] =>
  mappers.map(toMapper).filter((mapper): mapper is StoredMapperRep => typeof mapper.id === 'string');

/** Keycloak's refusal in the port's terms: the admin's sentence, and whether it was a 409. */
async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = toApiError(error);
    throw new PortError(failure.message, failure.kind === 'conflict');
  }
}

/** One admin-client request: session recovery first (adminCall), then the port's terms. */
const portCall = <T>(call: () => Promise<T>) => translated(() => adminCall(call));

/** The fix workflow's port (src/remediation/port.ts) over the admin client. */
export function createRemediationApi(admin: AdminClient): RemediationApi {
  // The admin client's addProtocolMapper drops the Location header; this request keeps the new id.
  const postClientMapper = admin.clients.makeUpdateRequest<{ id: string; realm: string }, MapperBody, { id: string }>({
    method: 'POST',
    path: '/{id}/protocol-mappers/models',
    urlParamKeys: ['id'],
    returnResourceIdInLocationHeader: { field: 'id' },
  });

  return {
    loadSnapshot: (realm) => translated(() => loadSnapshot(admin, realm)),

    createClientMapper: async (realm, clientUuid, mapper) =>
      (await portCall(() => postClientMapper({ id: clientUuid, realm }, mapper))).id,

    clientMappers: async (realm, clientUuid) =>
      storedMappers(await portCall(() => admin.clients.listProtocolMappers({ realm, id: clientUuid }))),

    updateClientMapper: (realm, clientUuid, mapper) =>
      portCall(() => admin.clients.updateProtocolMapper({ realm, id: clientUuid, mapperId: mapper.id }, mapper)),

    deleteClientMapper: (realm, clientUuid, mapperId) =>
      portCall(() => admin.clients.delProtocolMapper({ realm, id: clientUuid, mapperId })),

    createScope: async (realm, scope) => (await portCall(() => admin.clientScopes.create({ realm, ...scope }))).id,

    scopeByName: async (realm, name) => {
      const scope = await portCall(() => admin.clientScopes.findOneByName({ realm, name }));
      return scope?.id && scope.name ? toScopeRep(scope) : undefined;
    },

    scopeHasRoleMappings: (realm, scopeId) => translated(() => scopeHasRoleMappings(admin, realm, scopeId)),

    scopeMappers: async (realm, scopeId) =>
      storedMappers(await portCall(() => admin.clientScopes.listProtocolMappers({ realm, id: scopeId }))),

    updateScopeMapper: (realm, scopeId, mapper) =>
      portCall(() => admin.clientScopes.updateProtocolMapper({ realm, id: scopeId, mapperId: mapper.id }, mapper)),

    deleteScope: (realm, scopeId) => portCall(() => admin.clientScopes.del({ realm, id: scopeId })),

    linkScope: (realm, clientUuid, clientScopeId, as) =>
      portCall(() =>
        as === 'default'
          ? admin.clients.addDefaultClientScope({ realm, id: clientUuid, clientScopeId })
          : admin.clients.addOptionalClientScope({ realm, id: clientUuid, clientScopeId }),
      ),

    unlinkScope: (realm, clientUuid, clientScopeId, as) =>
      portCall(() =>
        as === 'default'
          ? admin.clients.delDefaultClientScope({ realm, id: clientUuid, clientScopeId })
          : admin.clients.delOptionalClientScope({ realm, id: clientUuid, clientScopeId }),
      ),

    clientSettings: async (realm, clientUuid) => {
      const client = await portCall(() => admin.clients.findOne({ realm, id: clientUuid }));
      return client ? clientSettingsOf(client) : undefined;
    },

    updateClientSettings: (realm, clientUuid, settings) =>
      portCall(() => admin.clients.update({ realm, id: clientUuid }, settingsBody(settings))),

    serviceAccountUser: (realm, clientUuid) => translated(() => serviceAccountUserId(admin, realm, clientUuid)),

    anyUser: async (realm) => {
      const [first] = await translated(() => searchUsers(admin, realm, '', 1));
      return first ? { id: first.id, label: first.label } : undefined;
    },

    exampleTokenAudience: async (realm, clientUuid, userId) =>
      (await translated(() => generateExampleToken(admin, realm, clientUuid, userId))).aud,
  };
}
