import { REQUIRES_ATTRIBUTE, requirementsOf } from '../../audit/requirements.ts';
import type { ClientRep, RealmSnapshot } from '../../audit/snapshot.ts';
import { requiresValue } from '../../remediation/requirements-plan.ts';

/**
 * Requirements edited in the page, not yet written: clientId → the audiences its tokens are to carry, or
 * null to take the attribute away (back to the default rule: its own clientId). An edit that would leave
 * the attribute as Keycloak holds it is no edit and is dropped.
 */
export type RequirementEdits = ReadonlyMap<string, string[] | null>;

/** What a bulk edit does to each selected client's list. */
export type BulkOperation =
  | { kind: 'set'; audiences: string[] }
  | { kind: 'add'; audience: string }
  | { kind: 'remove'; audience: string }
  | { kind: 'reset' };

/** Names as typed: trimmed, empty ones dropped, each once, in the order given. */
export function cleanAudiences(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()))].filter((value) => value !== '');
}

const attributeOf = (client: ClientRep) => client.attributes?.[REQUIRES_ATTRIBUTE] ?? null;

/** Whether writing `next` would change the attribute as Keycloak holds it now. */
export const changesAttribute = (client: ClientRep, next: string[] | null) =>
  requiresValue(next) !== attributeOf(client);

/** The list the client's tokens must carry with the edits: an edit, else its attribute, else its own clientId. */
export function editedList(client: ClientRep, edits: RequirementEdits): string[] {
  const edit = edits.get(client.clientId);
  if (edit === null) return [client.clientId];
  return edit ?? requirementsOf(client, undefined).audiences;
}

/** The edits with one client set to `next`; dropped when that leaves Keycloak's attribute as it is. */
export function withEdit(
  edits: RequirementEdits,
  client: ClientRep,
  next: string[] | null,
): Map<string, string[] | null> {
  const result = new Map(edits);
  const value = next === null ? null : cleanAudiences(next);
  if (changesAttribute(client, value)) result.set(client.clientId, value);
  else result.delete(client.clientId);
  return result;
}

/** One operation over several clients, each starting from its list with the edits so far. */
export function bulkEdit(
  edits: RequirementEdits,
  clients: readonly ClientRep[],
  operation: BulkOperation,
): Map<string, string[] | null> {
  let result = new Map(edits);
  for (const client of clients) {
    const list = editedList(client, result);
    if (operation.kind === 'reset') result = withEdit(result, client, null);
    else if (operation.kind === 'set') result = withEdit(result, client, operation.audiences);
    // A client that already has the audience, or lacks the one removed, keeps whatever edit it had.
    else if (operation.kind === 'add' && !list.includes(operation.audience))
      result = withEdit(result, client, [...list, operation.audience]);
    else if (operation.kind === 'remove' && list.includes(operation.audience))
      result = withEdit(
        result,
        client,
        list.filter((audience) => audience !== operation.audience),
      );
  }
  return result;
}

/** An edit as the page lists it: what the client requires now, and after the write. */
export interface PendingEdit {
  clientId: string;
  /** As Keycloak holds it: the attribute's list, or the default (its own clientId). */
  now: string[];
  nowSource: 'attribute' | 'default';
  /** The attribute's text when it is no requirements list (then the plan asks before writing over it). */
  unreadable?: string;
  /** null: the attribute taken away, its own clientId required by default. */
  next: string[] | null;
}

/** The edits that still change something, in clientId order; edits of clients the realm no longer has are left out. */
export function pendingEdits(snapshot: RealmSnapshot, edits: RequirementEdits): PendingEdit[] {
  const clients = new Map(snapshot.clients.map((client) => [client.clientId, client]));
  const pending: PendingEdit[] = [];
  for (const [clientId, next] of edits) {
    const client = clients.get(clientId);
    if (!client || !changesAttribute(client, next)) continue;
    const now = requirementsOf(client, undefined);
    pending.push({
      clientId,
      now: now.audiences,
      nowSource: now.source === 'attribute' ? 'attribute' : 'default',
      ...(now.unreadable ? { unreadable: now.unreadable } : {}),
      next,
    });
  }
  return pending.sort((left, right) => left.clientId.localeCompare(right.clientId));
}

/** The realm as it would read once the edits are written: what the "what if" map is built from. */
export function snapshotWithEdits(snapshot: RealmSnapshot, edits: RequirementEdits): RealmSnapshot {
  if (edits.size === 0) return snapshot;
  const clients = snapshot.clients.map((client) => {
    if (!edits.has(client.clientId)) return client;
    const value = requiresValue(edits.get(client.clientId) ?? null);
    const { [REQUIRES_ATTRIBUTE]: _old, ...rest } = client.attributes ?? {};
    return { ...client, attributes: value === null ? rest : { ...rest, [REQUIRES_ATTRIBUTE]: value } };
  });
  return { ...snapshot, clients };
}

/** The pending edits as the requirements plan takes them (PlanOptions.requirements). */
export const planRequirements = (pending: readonly PendingEdit[]): Record<string, string[] | null> =>
  Object.fromEntries(pending.map((edit) => [edit.clientId, edit.next]));
