import type { Declarations, RequirementLists } from './requirements.ts';
import type { ClientPoliciesSnapshot, ClientScopeRep } from './snapshot.ts';

/** Realm-wide lookups shared by every client's audit. */
export interface RealmContext {
  realm: string;
  scopesByName: Map<string, ClientScopeRep>;
  clientIds: Set<string>;
  clientIdByUuid: Map<string, string>;
  /** The deployed OIDC mapper types, when the admin may read them. */
  mapperTypes: ReadonlySet<string> | undefined;
  scopeRoleRestrictions: Record<string, boolean>;
  scopeRestrictingRoles: Record<string, string[]> | undefined;
  defaultRoles: Set<string> | undefined;
  clientPolicies: ClientPoliciesSnapshot | undefined;
  disabledClientIds: Set<string>;
  /** The server version when the admin may read it; undefined otherwise. */
  version: string | undefined;
  /** Requirements given outside Keycloak (the CLI's --requirements file): clientId → audiences. */
  requirementsFile: RequirementLists | undefined;
  /** Who declares whom a caller (audience-doctor.callers) among the clients read. */
  declarations: Declarations;
}
