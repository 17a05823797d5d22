import type { ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../audit/snapshot.ts';
import type { MapperBody, ScopeBody } from './types.ts';

export type { MapperBody, ScopeBody } from './types.ts';

export type StoredMapperRep = ProtocolMapperRep & { id: string };

/**
 * A client as `GET /clients/{id}` returns it, without its mappers and its secret: the body a safe
 * `PUT /clients/{id}` is built from (a body with `protocolMappers` replaces them; one without the secret keeps it).
 */
export type ClientSettings = Record<string, unknown> & {
  clientId: string;
  attributes?: Record<string, string>;
  access?: { view?: boolean; configure?: boolean; manage?: boolean };
};

/** Someone a token can be generated for. */
export interface TokenUser {
  id: string;
  label: string;
}

/**
 * A failed call, as every method of the port reports it: a sentence for the admin, and whether Keycloak
 * refused it as a duplicate (409), which the run tells apart from every other failure.
 */
export class PortError extends Error {
  override name = 'PortError';
  constructor(
    message: string,
    readonly conflict = false,
  ) {
    super(message);
  }
}

/**
 * Every read and write the fix workflow needs from Keycloak, in plain data. Declared here, implemented in
 * src/keycloak; every method throws a PortError when Keycloak says no.
 */
export interface RemediationApi {
  loadSnapshot(realm: string): Promise<RealmSnapshot>;
  createClientMapper(realm: string, clientUuid: string, mapper: MapperBody): Promise<string>;
  clientMappers(realm: string, clientUuid: string): Promise<StoredMapperRep[]>;
  updateClientMapper(realm: string, clientUuid: string, mapper: StoredMapperRep): Promise<void>;
  deleteClientMapper(realm: string, clientUuid: string, mapperId: string): Promise<void>;
  createScope(realm: string, scope: ScopeBody): Promise<string>;
  scopeByName(realm: string, name: string): Promise<ClientScopeRep | undefined>;
  /** Whether the scope has role scope mappings (then its mappers apply only to holders of those roles). */
  scopeHasRoleMappings(realm: string, scopeId: string): Promise<boolean>;
  scopeMappers(realm: string, scopeId: string): Promise<StoredMapperRep[]>;
  updateScopeMapper(realm: string, scopeId: string, mapper: StoredMapperRep): Promise<void>;
  deleteScope(realm: string, scopeId: string): Promise<void>;
  linkScope(realm: string, clientUuid: string, scopeId: string, as: 'default' | 'optional'): Promise<void>;
  unlinkScope(realm: string, clientUuid: string, scopeId: string, as: 'default' | 'optional'): Promise<void>;
  /** The client's settings, or undefined when it does not exist (any more). */
  clientSettings(realm: string, clientUuid: string): Promise<ClientSettings | undefined>;
  /** `PUT /clients/{id}` with these settings; `access` is left out, it is no setting. */
  updateClientSettings(realm: string, clientUuid: string, settings: ClientSettings): Promise<void>;
  /** The user behind a client's service account. */
  serviceAccountUser(realm: string, clientUuid: string): Promise<string>;
  /** Some user of the realm a token can be generated for, if the admin may list users and there is one. */
  anyUser(realm: string): Promise<TokenUser | undefined>;
  /** The `aud` of the example access token Keycloak generates for the client and user (default scopes only). */
  exampleTokenAudience(realm: string, clientUuid: string, userId: string): Promise<string[]>;
}

/** The reason of a failed call, in words for the admin. */
export const failureReason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Whether Keycloak refused the call as a duplicate (409). */
export const isConflict = (error: unknown) => error instanceof PortError && error.conflict;
