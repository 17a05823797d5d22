import type { ClientRep } from './snapshot.ts';

/** The client attribute that says which audiences the client's access tokens must carry: a JSON array. */
export const REQUIRES_ATTRIBUTE = 'audience-doctor.requires';

/**
 * The client attribute by which an API declares its callers: a JSON array of clientIds whose access tokens must
 * carry the API's own clientId. It adds to each caller's own list; removing it removes only what it added.
 */
export const CALLERS_ATTRIBUTE = 'audience-doctor.callers';

/** Where a client's requirements come from. */
export type RequirementSource =
  /** No attribute: the client's own clientId, the rule that holds until an admin says otherwise. */
  | 'default'
  | 'attribute'
  /** The CLI's --requirements file, which wins over the attribute. */
  | 'file';

export interface ClientRequirements {
  /** Its own list (or the default), then each audience that only a declaration adds. */
  audiences: string[];
  /** Where its own list comes from; declarations add to any of them. */
  source: RequirementSource;
  /** The attribute's value when it is no JSON array of names: judged by the default, never written over unasked. */
  unreadable?: string;
  /** The clients whose audience-doctor.callers names this one: each requires its own clientId here. */
  declaredBy: string[];
  /** The audiences only a declaration requires (not in its own list): what removing it would take away. */
  addedByDeclarations: string[];
}

/** Caller clientId → the clients that declare it (sorted); and the declaring clients whose attribute is junk. */
export interface Declarations {
  byCaller: ReadonlyMap<string, readonly string[]>;
  /** Declaring clientId → the callers its readable attribute names. */
  callersOf: ReadonlyMap<string, readonly string[]>;
  /** Declaring clientId → its attribute's value and what is wrong with it. */
  unreadable: ReadonlyMap<string, string>;
}

/** Every audience-doctor.callers of the clients read: who declares whom. */
export function declarationsOf(clients: readonly ClientRep[]): Declarations {
  const byCaller = new Map<string, string[]>();
  const callersOf = new Map<string, string[]>();
  const unreadable = new Map<string, string>();
  for (const client of clients) {
    const text = client.attributes?.[CALLERS_ATTRIBUTE];
    const parsed = parseRequiresAttribute(text);
    if (!parsed) continue;
    if (!parsed.ok) {
      unreadable.set(client.clientId, `${text} (${parsed.why})`);
      continue;
    }
    callersOf.set(client.clientId, parsed.audiences);
    for (const caller of parsed.audiences) {
      // A client naming itself adds nothing its own default does not; kept so its list reads as written.
      const declaring = byCaller.get(caller) ?? [];
      declaring.push(client.clientId);
      byCaller.set(caller, declaring);
    }
  }
  for (const declaring of byCaller.values()) declaring.sort();
  return { byCaller, callersOf, unreadable };
}

export const NO_DECLARATIONS: Declarations = { byCaller: new Map(), callersOf: new Map(), unreadable: new Map() };

export type ParsedRequirements = { ok: true; audiences: string[] } | { ok: false; why: string };

/**
 * A requirements list as stored or given: a JSON array of non-empty strings, each named once (whitespace
 * around a name is a typo, not part of it: Keycloak compares audiences exactly).
 */
export function parseRequirementList(value: unknown): ParsedRequirements {
  if (!Array.isArray(value)) return { ok: false, why: 'it is not a JSON array' };
  const audiences: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') return { ok: false, why: `${JSON.stringify(item)} is not a string` };
    if (item.trim() === '') return { ok: false, why: 'it holds an empty name' };
    if (item !== item.trim()) return { ok: false, why: `"${item}" has spaces around it` };
    if (!audiences.includes(item)) audiences.push(item);
  }
  return { ok: true, audiences };
}

/** The attribute's text, parsed; undefined when the client has no such attribute. */
export function parseRequiresAttribute(text: string | undefined): ParsedRequirements | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, why: 'it is not JSON' };
  }
  return parseRequirementList(value);
}

/** Requirements given outside Keycloak: clientId → its list, or null for the default rule whatever it states. */
export type RequirementLists = ReadonlyMap<string, string[] | null>;

/** The client's own list: the file's, else a readable attribute, else its own clientId. */
function ownRequirements(
  client: ClientRep,
  fromFile: RequirementLists | undefined,
): { audiences: string[]; source: RequirementSource; unreadable: string | undefined } {
  const given = fromFile?.get(client.clientId);
  if (given) return { audiences: given, source: 'file', unreadable: undefined };
  if (given === null) return { audiences: [client.clientId], source: 'default', unreadable: undefined };
  const text = client.attributes?.[REQUIRES_ATTRIBUTE];
  const parsed = parseRequiresAttribute(text);
  if (parsed?.ok) return { audiences: parsed.audiences, source: 'attribute', unreadable: undefined };
  return {
    audiences: [client.clientId],
    source: 'default',
    unreadable: parsed ? `${text} (${parsed.why})` : undefined,
  };
}

/** The client's requirements: its own list plus every declaration naming it. */
export function requirementsOf(
  client: ClientRep,
  fromFile: RequirementLists | undefined,
  declarations: Declarations = NO_DECLARATIONS,
): ClientRequirements {
  // Built field by field, one shape for every client: the audit asks this 10,000 times in a big realm.
  const own = ownRequirements(client, fromFile);
  const declaring = declarations.byCaller.get(client.clientId);
  const added = declaring ? declaring.filter((audience) => !own.audiences.includes(audience)) : [];
  return {
    audiences: added.length > 0 ? own.audiences.concat(added) : own.audiences,
    source: own.source,
    unreadable: own.unreadable,
    declaredBy: declaring ? declaring.slice() : [],
    addedByDeclarations: added,
  };
}

/** Whether a client (its audit or report) is judged by anything but the default rule alone. */
export const hasStatedRequirements = (client: { requirementSource: RequirementSource; declaredBy: string[] }) =>
  client.requirementSource !== 'default' || client.declaredBy.length > 0;

/**
 * A --requirements file: a JSON object of clientId → array of audiences, or null for "back to the default
 * rule" (its attribute removed). Returns the lists, or one line that says what is wrong with the first bad entry.
 */
export function parseRequirementsFile(
  text: string,
): { ok: true; requirements: Map<string, string[] | null> } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, why: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, why: 'it must be a JSON object of clientId → array of audiences' };
  }
  const requirements = new Map<string, string[] | null>();
  for (const [clientId, list] of Object.entries(value)) {
    if (list === null) {
      requirements.set(clientId, null);
      continue;
    }
    const parsed = parseRequirementList(list);
    if (!parsed.ok) return { ok: false, why: `the entry for "${clientId}" is wrong: ${parsed.why}` };
    requirements.set(clientId, parsed.audiences);
  }
  return { ok: true, requirements };
}
