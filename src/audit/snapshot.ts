/** What the engine reads: plain data as the Admin API returns it, secrets already dropped. */

export interface ProtocolMapperRep {
  id?: string;
  name?: string;
  protocol?: string;
  protocolMapper?: string;
  config?: Record<string, string>;
}

export interface ClientRep {
  id: string;
  clientId: string;
  name?: string;
  description?: string;
  protocol?: string;
  enabled?: boolean;
  bearerOnly?: boolean;
  publicClient?: boolean;
  consentRequired?: boolean;
  fullScopeAllowed?: boolean;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  attributes?: Record<string, string>;
  defaultClientScopes?: string[];
  optionalClientScopes?: string[];
  protocolMappers?: ProtocolMapperRep[];
  access?: { view?: boolean; configure?: boolean; manage?: boolean };
}

export interface ClientScopeRep {
  id: string;
  name: string;
  description?: string;
  protocol?: string;
  attributes?: Record<string, string>;
  protocolMappers?: ProtocolMapperRep[];
}

export interface ClientPolicyCondition {
  condition: string;
  configuration?: Record<string, unknown>;
}

export interface ClientPolicy {
  name: string;
  enabled?: boolean;
  /** `DEFAULT` or `STRICT` (26.7+); absent means DEFAULT. */
  mode?: string;
  conditions?: ClientPolicyCondition[];
  profiles?: string[];
}

export interface ClientProfile {
  name: string;
  executors?: { executor: string; configuration?: Record<string, unknown> }[];
}

export interface ClientPoliciesSnapshot {
  policies: ClientPolicy[];
  profiles: ClientProfile[];
}

/** What the admin's answers show about what the admin could not see (an empty list can mean "not allowed"). */
export interface SnapshotVisibility {
  /** `/clients` answered `[]`: every realm has realm-management, so the account may not view clients. */
  clientsHidden: boolean;
  /** `/client-scopes` answered `[]` while clients name scopes: the account may not view client scopes. */
  scopesHidden: boolean;
}

/** What reading the client list page by page showed beyond the clients themselves. */
export interface ClientListRead {
  /** Clients Keycloak left out of its pages: it could not represent them, so they were not judged. */
  omitted: number;
  /** Clients created, deleted or renamed while the list was read; the list is as it stood at the end. */
  changes?: { appeared: string[]; disappeared: string[]; renamed: { from: string; to: string }[] };
}

export interface RealmSnapshot {
  realm: string;
  /** Only master-realm admins are told the server version. */
  keycloakVersion: string | undefined;
  clients: ClientRep[];
  clientScopes: ClientScopeRep[];
  /** Deployed openid-connect mapper types; undefined when the server did not say. */
  mapperTypes: string[] | undefined;
  /**
   * Scope id → whether the scope has role scope mappings (then its mappers apply only to users with
   * one of those roles). Only known for the scopes that carry a mapper that can write `aud`.
   */
  scopeRoleRestrictions: Record<string, boolean>;
  /**
   * Scope id → the roles of its Scope tab (realm roles by name, client roles as `clientId/role`), for the
   * scopes in scopeRoleRestrictions that have some. Undefined when not read.
   */
  scopeRestrictingRoles?: Record<string, string[]>;
  /**
   * The roles every user holds through `default-roles-<realm>` (composites expanded, same naming as above).
   * Undefined when the account may not read them.
   */
  defaultRoles?: string[];
  /** Undefined when the admin may not read them (view-realm). */
  clientPolicies: ClientPoliciesSnapshot | undefined;
  /** Undefined when everything asked for could be seen. */
  visibility?: SnapshotVisibility;
  /** Undefined when the list was read in one request, or nothing was left out and nothing moved. */
  clientListRead?: ClientListRead;
}
