import { auditRealm } from '../audit/audit-realm.ts';
import type { ClientScopeRep, ProtocolMapperRep } from '../audit/snapshot.ts';
import { toApiError } from '../keycloak/errors.ts';
import type { RemediationApi, StoredMapperRep } from '../keycloak/remediation-api.ts';
import { type Plan, type PlanStep, planFix, type ScopeBody, type Write } from './plan.ts';

export type StepOutcome =
  /** This run wrote it. */
  | 'written'
  /** It was already exactly so (a repeat, or a double click): nothing written, nothing to undo. */
  | 'already-there';

export interface DoneStep {
  index: number;
  step: PlanStep;
  outcome: StepOutcome;
  /** The id Keycloak gave to an object this step created. */
  createdId?: string;
}

export interface CreatedObject {
  kind: 'client-mapper' | 'client-scope';
  id: string;
  name: string;
  /** For a mapper: the client it belongs to. */
  clientId?: string;
}

export interface RollbackReport {
  undone: string[];
  /** What stays in Keycloak because its undo failed, with the reason. */
  left: { what: string; reason: string }[];
}

export type RunStatus =
  /** Every step done. */
  | 'applied'
  /** The fresh plan has no steps: the clients are fixed already. */
  | 'nothing-to-do'
  /** The realm changed since the preview in a way that needs a new preview; nothing written. */
  | 'changed'
  /** A shared scope without the admin's consent; nothing written. */
  | 'refused'
  /** A step failed; what was written has been undone (see rollback). */
  | 'failed';

export interface RunResult {
  status: RunStatus;
  runId: string;
  /** The plan made from fresh data and applied (or that would have been). */
  plan: Plan;
  done: DoneStep[];
  created: CreatedObject[];
  /** Admin API writes this run sent that succeeded, undo writes included. */
  writes: number;
  message: string;
  rollback?: RollbackReport;
}

export interface RunProgress {
  done: number;
  total: number;
  /** What is being written now. */
  current: string;
}

export interface RunOptions {
  /** The admin agreed that services of a shared scope accept each other's tokens. */
  consent?: boolean;
  onProgress?: (progress: RunProgress) => void;
}

/** Short words for a write, for messages; the preview has the full sentences. */
export function writeLabel(write: Write): string {
  const client = 'client' in write ? ` of client "${write.client.clientId}"` : '';
  switch (write.kind) {
    case 'create-client-mapper':
      return `create mapper "${write.mapper.name}"${client}`;
    case 'delete-client-mapper':
      return `delete mapper "${write.mapperName}"${client}`;
    case 'update-client-mapper':
      return `update mapper "${write.mapper.name}"${client}`;
    case 'create-scope':
      return `create client scope "${write.scope.name}"`;
    case 'delete-scope':
      return `delete client scope "${write.scope.name}"`;
    case 'update-scope-mapper':
      return `update mapper "${write.mapper.name}" of client scope "${write.scope.name}"`;
    case 'attach-default-scope':
      return `attach client scope "${write.scope.name}" as default${client}`;
    case 'detach-default-scope':
      return `remove default client scope "${write.scope.name}"${client}`;
    case 'attach-optional-scope':
      return `attach client scope "${write.scope.name}" as optional${client}`;
    case 'detach-optional-scope':
      return `remove optional client scope "${write.scope.name}"${client}`;
  }
}

/** The settings that make two mappers do the same thing. */
function sameMapper(left: ProtocolMapperRep, right: ProtocolMapperRep): boolean {
  const a = left.config ?? {};
  const b = right.config ?? {};
  return (
    left.name === right.name &&
    left.protocolMapper === right.protocolMapper &&
    Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every((key) => a[key] === b[key])
  );
}

function sameScope(existing: ClientScopeRep, wanted: ScopeBody): boolean {
  const attributes = existing.attributes ?? {};
  const mappers = existing.protocolMappers ?? [];
  return (
    (existing.protocol ?? 'openid-connect') === wanted.protocol &&
    Object.entries(wanted.attributes).every(([key, value]) => attributes[key] === value) &&
    mappers.length === wanted.protocolMappers.length &&
    wanted.protocolMappers.every((mapper) => mappers.some((candidate) => sameMapper(candidate, mapper)))
  );
}

class StepError extends Error {}

/** Ids of the objects a run created or found, by the names the plan uses. */
class Ids {
  private readonly scopes = new Map<string, string>();
  private readonly mappers = new Map<string, string>();

  setScope(name: string, id: string) {
    this.scopes.set(name, id);
  }
  setMapper(clientUuid: string, name: string, id: string) {
    this.mappers.set(`${clientUuid}\n${name}`, id);
  }
  mapper(clientUuid: string, name: string) {
    return this.mappers.get(`${clientUuid}\n${name}`);
  }
  async scope(api: RemediationApi, realm: string, target: { name: string; id?: string }): Promise<string> {
    const known = target.id ?? this.scopes.get(target.name) ?? (await api.scopeByName(realm, target.name))?.id;
    if (!known) throw new StepError(`client scope "${target.name}" does not exist (any more)`);
    return known;
  }
}

interface Applied {
  outcome: StepOutcome;
  createdId?: string;
  writes: number;
}

async function updateMapper(
  current: StoredMapperRep[],
  wanted: StoredMapperRep,
  replaces: StoredMapperRep,
  put: () => Promise<void>,
  where: string,
): Promise<Applied> {
  const now = current.find((mapper) => mapper.id === wanted.id);
  if (!now) throw new StepError(`mapper "${wanted.name}" of ${where} was deleted since the preview`);
  if (sameMapper(now, wanted)) return { outcome: 'already-there', writes: 0 };
  if (!sameMapper(now, replaces)) {
    throw new StepError(`mapper "${wanted.name}" of ${where} was changed since the preview; nothing was overwritten`);
  }
  await put();
  return { outcome: 'written', writes: 1 };
}

async function apply(api: RemediationApi, realm: string, write: Write, ids: Ids): Promise<Applied> {
  switch (write.kind) {
    case 'create-client-mapper': {
      try {
        const id = await api.createClientMapper(realm, write.client.id, write.mapper);
        ids.setMapper(write.client.id, write.mapper.name, id);
        return { outcome: 'written', createdId: id, writes: 1 };
      } catch (error) {
        if (toApiError(error).kind !== 'conflict') throw error;
        const existing = (await api.clientMappers(realm, write.client.id)).find(
          (mapper) => mapper.name === write.mapper.name,
        );
        if (existing && sameMapper(existing, write.mapper)) return { outcome: 'already-there', writes: 0 };
        throw new StepError(
          `client "${write.client.clientId}" already has a mapper named "${write.mapper.name}" with other settings; it was left as it is`,
        );
      }
    }
    case 'create-scope': {
      try {
        const id = await api.createScope(realm, write.scope);
        ids.setScope(write.scope.name, id);
        return { outcome: 'written', createdId: id, writes: 1 };
      } catch (error) {
        if (toApiError(error).kind !== 'conflict') throw error;
        const existing = await api.scopeByName(realm, write.scope.name);
        if (existing && sameScope(existing, write.scope) && !(await api.scopeHasRoleMappings(realm, existing.id))) {
          ids.setScope(write.scope.name, existing.id);
          return { outcome: 'already-there', writes: 0 };
        }
        throw new StepError(
          `a client scope named "${write.scope.name}" was created by someone else meanwhile and holds other settings; choose another name`,
        );
      }
    }
    case 'update-client-mapper':
      return updateMapper(
        await api.clientMappers(realm, write.client.id),
        write.mapper,
        write.replaces,
        () => api.updateClientMapper(realm, write.client.id, write.mapper),
        `client "${write.client.clientId}"`,
      );
    case 'update-scope-mapper': {
      const scopeId = await ids.scope(api, realm, write.scope);
      return updateMapper(
        await api.scopeMappers(realm, scopeId),
        write.mapper,
        write.replaces,
        () => api.updateScopeMapper(realm, scopeId, write.mapper),
        `client scope "${write.scope.name}"`,
      );
    }
    case 'attach-default-scope':
    case 'attach-optional-scope': {
      const scopeId = await ids.scope(api, realm, write.scope);
      await api.linkScope(
        realm,
        write.client.id,
        scopeId,
        write.kind === 'attach-default-scope' ? 'default' : 'optional',
      );
      return { outcome: 'written', writes: 1 };
    }
    case 'detach-default-scope':
    case 'detach-optional-scope': {
      const scopeId = await ids.scope(api, realm, write.scope);
      const as = write.kind === 'detach-default-scope' ? 'default' : 'optional';
      await api.unlinkScope(realm, write.client.id, scopeId, as);
      return { outcome: 'written', writes: 1 };
    }
    case 'delete-client-mapper': {
      const id = ids.mapper(write.client.id, write.mapperName);
      if (!id) throw new StepError(`the id of mapper "${write.mapperName}" is not known`);
      await api.deleteClientMapper(realm, write.client.id, id);
      return { outcome: 'written', writes: 1 };
    }
    case 'delete-scope': {
      await api.deleteScope(realm, await ids.scope(api, realm, write.scope));
      return { outcome: 'written', writes: 1 };
    }
  }
}

const reason = (error: unknown) => (error instanceof StepError ? error.message : toApiError(error).message);

async function rollBack(api: RemediationApi, realm: string, done: DoneStep[], ids: Ids) {
  const report: RollbackReport = { undone: [], left: [] };
  let writes = 0;
  for (const item of [...done].reverse()) {
    if (item.outcome !== 'written') continue;
    try {
      writes += (await apply(api, realm, item.step.undo, ids)).writes;
      report.undone.push(writeLabel(item.step.write));
    } catch (error) {
      report.left.push({ what: writeLabel(item.step.write), reason: reason(error) });
    }
  }
  return { report, writes };
}

/** Plans again from what Keycloak holds now; the preview's steps must still cover everything. */
async function freshPlan(api: RemediationApi, preview: Plan): Promise<{ plan: Plan; unexpected: PlanStep[] }> {
  const snapshot = await api.loadSnapshot(preview.realm);
  const plan = planFix(snapshot, auditRealm(snapshot), preview.request.clientIds, preview.request.options);
  const previewed = new Set(preview.steps.map((step) => JSON.stringify(step.write)));
  return { plan, unexpected: plan.steps.filter((step) => !previewed.has(JSON.stringify(step.write))) };
}

function createdObject(write: Write, id: string): CreatedObject[] {
  if (write.kind === 'create-scope') return [{ kind: 'client-scope', id, name: write.scope.name }];
  if (write.kind === 'create-client-mapper') {
    return [{ kind: 'client-mapper', id, name: write.mapper.name, clientId: write.client.clientId }];
  }
  return [];
}

async function run(api: RemediationApi, preview: Plan, options: RunOptions): Promise<RunResult> {
  const base = { runId: preview.runId, done: [] as DoneStep[], created: [] as CreatedObject[], writes: 0 };
  if (preview.requiresConsent && !options.consent) {
    return {
      ...base,
      status: 'refused',
      plan: preview,
      message: 'A shared scope makes these services accept each other’s tokens: confirm that first.',
    };
  }
  const { plan, unexpected } = await freshPlan(api, preview);
  if (unexpected.length > 0) {
    return {
      ...base,
      status: 'changed',
      plan,
      message: `The realm changed since the preview (${unexpected.map((step) => writeLabel(step.write)).join('; ')}). Nothing was written: review the new preview.`,
    };
  }
  if (plan.steps.length === 0) {
    return { ...base, status: 'nothing-to-do', plan, message: 'Nothing to write: these clients are fixed already.' };
  }

  const ids = new Ids();
  const done: DoneStep[] = [];
  let writes = 0;
  for (const [index, step] of plan.steps.entries()) {
    options.onProgress?.({ done: index, total: plan.steps.length, current: writeLabel(step.write) });
    try {
      const applied = await apply(api, plan.realm, step.write, ids);
      writes += applied.writes;
      done.push({ index, step, outcome: applied.outcome, createdId: applied.createdId });
    } catch (error) {
      const rollback = await rollBack(api, plan.realm, done, ids);
      const left =
        rollback.report.left.length === 0
          ? 'Everything this run wrote has been undone.'
          : `Could not undo: ${rollback.report.left.map((item) => `${item.what} (${item.reason})`).join('; ')}.`;
      return {
        ...base,
        status: 'failed',
        plan,
        done,
        writes: writes + rollback.writes,
        message: `Step ${index + 1} of ${plan.steps.length} failed (${writeLabel(step.write)}): ${reason(error)}. ${left}`,
        rollback: rollback.report,
      };
    }
  }
  options.onProgress?.({ done: plan.steps.length, total: plan.steps.length, current: '' });
  const created = done.flatMap((item) => (item.createdId ? createdObject(item.step.write, item.createdId) : []));
  return {
    ...base,
    status: 'applied',
    plan,
    done,
    created,
    writes,
    message: `Applied ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} for ${plan.fixes.length} client${plan.fixes.length === 1 ? '' : 's'}.`,
  };
}

const inFlight = new Map<string, Promise<RunResult>>();

/**
 * Applies a previewed plan: re-reads the realm, re-plans, writes step by step, and on a failure undoes
 * what it wrote. A second call for the same run while the first is busy gets the first one's result.
 */
export function executePlan(api: RemediationApi, preview: Plan, options: RunOptions = {}): Promise<RunResult> {
  const running = inFlight.get(preview.runId);
  if (running) return running;
  const result = run(api, preview, options)
    .catch((error: unknown): RunResult => {
      const failure = toApiError(error);
      return {
        status: 'failed',
        runId: preview.runId,
        plan: preview,
        done: [],
        created: [],
        writes: 0,
        message: `Could not read the realm before applying: ${failure.message}. Nothing was written.`,
      };
    })
    .finally(() => inFlight.delete(preview.runId));
  inFlight.set(preview.runId, result);
  return result;
}

/** A run id people can read and sort: when it started, plus a random part. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const random = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${random}`;
}
