import { isBuiltIn } from '../../audit/client-settings.ts';
import {
  parseRequirementsFile,
  parseRequiresAttribute,
  REQUIRES_ATTRIBUTE,
  requirementsOf,
} from '../../audit/requirements.ts';
import type { RealmSnapshot } from '../../audit/snapshot.ts';
import { changesAttribute, type RequirementEdits, snapshotWithEdits, withEdit } from './requirement-edits.ts';

/**
 * Which clients an export holds. `stated`: each non-built-in client whose attribute states its requirements,
 * with that list (what `fix --strategy requirements --requirements FILE` writes back unchanged). `effective`:
 * every non-built-in client with the list it is judged by, the default (its own clientId) included.
 */
export type ExportScope = 'stated' | 'effective';

export interface RequirementsExport {
  /** The file's object: clientId → audiences (null: back to the default, its attribute removed), in clientId order. */
  requirements: Record<string, string[] | null>;
  /** Clients left out, with why: an attribute that is no list cannot be said in the file. */
  leftOut: { clientId: string; why: string }[];
}

/** The realm's requirements as a `--requirements` file; with edits, as the realm would be once they are written. */
export function exportRequirements(
  snapshot: RealmSnapshot,
  scope: ExportScope,
  edits?: RequirementEdits,
): RequirementsExport {
  const realm = edits ? snapshotWithEdits(snapshot, edits) : snapshot;
  const clients = realm.clients
    .filter((client) => !isBuiltIn(client, realm.realm))
    .sort((left, right) => left.clientId.localeCompare(right.clientId));
  const result: RequirementsExport = { requirements: {}, leftOut: [] };
  for (const client of clients) {
    if (scope === 'effective') {
      result.requirements[client.clientId] = requirementsOf(client, undefined).audiences;
      continue;
    }
    const parsed = parseRequiresAttribute(client.attributes?.[REQUIRES_ATTRIBUTE]);
    // Set back to the default by an edit: null in the file, which removes the attribute when written.
    if (!parsed) {
      if (edits?.get(client.clientId) === null) result.requirements[client.clientId] = null;
      continue;
    }
    if (parsed.ok) result.requirements[client.clientId] = parsed.audiences;
    else
      result.leftOut.push({ clientId: client.clientId, why: `its ${REQUIRES_ATTRIBUTE} is no list (${parsed.why})` });
  }
  return result;
}

/** The file's text: the JSON the CLI reads, one client per line group. */
export const requirementsFileText = (requirements: Record<string, string[] | null>) =>
  `${JSON.stringify(requirements, null, 2)}\n`;

export type ImportResult =
  | { ok: false; why: string }
  | {
      ok: true;
      edits: Map<string, string[] | null>;
      /** Entries that change a client's attribute: now pending. */
      changed: string[];
      /** Entries that say what Keycloak holds already: nothing pending for them. */
      unchanged: string[];
      /** Entries naming no client of the realm: not imported. */
      unknown: string[];
    };

/**
 * A `--requirements` file laid over the edits: each entry replaces the edit of its client, every other edit
 * stays. A file that is not JSON, or has one bad entry, changes nothing.
 */
export function importRequirements(snapshot: RealmSnapshot, edits: RequirementEdits, text: string): ImportResult {
  const parsed = parseRequirementsFile(text);
  if (!parsed.ok) return { ok: false, why: parsed.why };
  const clients = new Map(snapshot.clients.map((client) => [client.clientId, client]));
  let next = new Map(edits);
  const result = { changed: [] as string[], unchanged: [] as string[], unknown: [] as string[] };
  for (const [clientId, audiences] of parsed.requirements) {
    const client = clients.get(clientId);
    if (!client) {
      result.unknown.push(clientId);
      continue;
    }
    next = withEdit(next, client, audiences);
    (changesAttribute(client, audiences) ? result.changed : result.unchanged).push(clientId);
  }
  return { ok: true, edits: next, ...result };
}
