import type { ClientRep, ClientScopeRep, RealmSnapshot } from '../../audit/snapshot.ts';
import type { Ids } from '../ids.ts';
import type { RunJournal } from '../journal-schema.ts';
import type { RemediationApi } from '../port.ts';
import type { ClientTarget, ScopeTarget, Write } from '../types.ts';

export type StepOutcome =
  /** This run wrote it. */
  | 'written'
  /** It was already exactly so (a repeat, or a double click): nothing written, nothing to undo. */
  | 'already-there';

export interface Applied {
  outcome: StepOutcome;
  createdId?: string;
  writes: number;
}

/** Whether what a step wrote is still in Keycloak exactly as written. */
export type Presence = { state: 'in-place' } | { state: 'absent' } | { state: 'changed'; reason: string };

export interface RestCall {
  method: 'POST' | 'PUT' | 'DELETE';
  /** The full URL: the Keycloak URL (with any context path such as /auth) and the Admin API path. */
  path: string;
  body?: unknown;
}

/** Admin API paths of one realm; a scope created earlier in the run has no id yet, only a placeholder. */
export interface RestPaths {
  realm: string;
  client(client: ClientTarget): string;
  scope(scope: ScopeTarget): string;
}

/** Bash variables of a kcadm.sh script, named in order of first use. */
export interface ScriptNames {
  /** `clients/$CLIENT_n` for the client. */
  client(client: ClientTarget): string;
  /** `$SCOPE_n`-style variable name for an existing scope, or one created earlier; lookups go into `before`. */
  scope(scope: ScopeTarget, before: string[]): string;
  /** The variable that will hold the id of a scope this step creates. */
  newScope(name: string): string;
  /** The line that sets MAPPER_ID to the id of the named mapper in the container. */
  mapperLookup(container: string, mapperName: string): string;
}

/** The realm as it would be after some writes: the engine audits it to predict a plan's effect. */
export interface Draft {
  client(
    id: string,
  ): ClientRep & Required<Pick<ClientRep, 'protocolMappers' | 'defaultClientScopes' | 'optionalClientScopes'>>;
  scope(
    name: string,
  ): (ClientScopeRep & { protocolMappers: NonNullable<ClientScopeRep['protocolMappers']> }) | undefined;
  addScope(scope: ClientScopeRep): void;
  removeScope(name: string): void;
}

export interface PresenceContext {
  snapshot: RealmSnapshot;
  journal: RunJournal;
  /** The id Keycloak gave to the object the step created, if it did. */
  createdId: string | undefined;
  ids: Ids;
}

/** Everything about one kind of write, in one place; `WRITE_KINDS` holds one per kind. */
export interface WriteKindSpec<W extends Write> {
  /** One sentence: the preview, progress, errors and reports all say the same. */
  describe(write: W): string;
  rest(write: W, paths: RestPaths): RestCall;
  kcadm(write: W, names: ScriptNames): string[];
  apply(api: RemediationApi, realm: string, write: W, ids: Ids): Promise<Applied>;
  /** For undo: is the write still in Keycloak as written? */
  presence(write: W, context: PresenceContext): Presence;
  simulate(write: W, draft: Draft): void;
  /** What an admin would look for afterwards, for writes that create an object. */
  created(write: W, id: string): CreatedObject | undefined;
}

export interface CreatedObject {
  kind: 'client-mapper' | 'client-scope';
  id: string;
  name: string;
  /** For a mapper: the client it belongs to. */
  clientId?: string;
}

export const clientWords = (client: ClientTarget) => `client "${client.clientId}"`;

export const clientOf = (snapshot: RealmSnapshot, id: string) => snapshot.clients.find((client) => client.id === id);
