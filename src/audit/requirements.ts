import type { ClientRep } from './snapshot.ts';

/** The client attribute that says which audiences the client's access tokens must carry: a JSON array. */
export const REQUIRES_ATTRIBUTE = 'audience-doctor.requires';

/** Where a client's requirements come from. */
export type RequirementSource =
  /** No attribute: the client's own clientId, the rule that holds until an admin says otherwise. */
  | 'default'
  | 'attribute'
  /** The CLI's --requirements file, which wins over the attribute. */
  | 'file';

export interface ClientRequirements {
  audiences: string[];
  source: RequirementSource;
  /** The attribute's value when it is no JSON array of names: judged by the default, never written over unasked. */
  unreadable?: string;
}

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

/** The client's requirements: the file's list, else a readable attribute, else its own clientId. */
export function requirementsOf(
  client: ClientRep,
  fromFile: ReadonlyMap<string, string[]> | undefined,
): ClientRequirements {
  const given = fromFile?.get(client.clientId);
  if (given) return { audiences: given, source: 'file' };
  const text = client.attributes?.[REQUIRES_ATTRIBUTE];
  const parsed = parseRequiresAttribute(text);
  if (parsed?.ok) return { audiences: parsed.audiences, source: 'attribute' };
  const fallback: ClientRequirements = { audiences: [client.clientId], source: 'default' };
  return parsed ? { ...fallback, unreadable: `${text} (${parsed.why})` } : fallback;
}

/**
 * A --requirements file: a JSON object of clientId → array of audiences. Returns the lists, or one line
 * that says what is wrong with the first bad entry.
 */
export function parseRequirementsFile(
  text: string,
): { ok: true; requirements: Map<string, string[]> } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, why: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, why: 'it must be a JSON object of clientId → array of audiences' };
  }
  const requirements = new Map<string, string[]>();
  for (const [clientId, list] of Object.entries(value)) {
    const parsed = parseRequirementList(list);
    if (!parsed.ok) return { ok: false, why: `the entry for "${clientId}" is wrong: ${parsed.why}` };
    requirements.set(clientId, parsed.audiences);
  }
  return { ok: true, requirements };
}
