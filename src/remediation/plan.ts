import { auditRealm } from '../audit/audit-realm.ts';
import { whyNoTokens } from '../audit/client-settings.ts';
import type { AudienceHolder, ClientAudit, Problem, RealmAudit } from '../audit/findings.ts';
import { ACCESS_TOKEN_FLAG, AUDIENCE_MAPPER, audienceValue, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import { lightweightPolicies } from '../audit/policies.ts';
import type { ClientRep, ClientScopeRep, ProtocolMapperRep, RealmSnapshot } from '../audit/snapshot.ts';
import { audienceName, numberedName, validScopeName } from './names.ts';

/** The first four put each client's own clientId into its tokens; cross-client puts another client's there. */
export type Strategy = 'dedicated-mapper' | 'client-scope' | 'shared-scope' | 'repair' | 'cross-client';

export const STRATEGIES: Strategy[] = ['dedicated-mapper', 'client-scope', 'shared-scope', 'repair', 'cross-client'];

export interface ClientTarget {
  /** The internal id used in Admin API paths. */
  id: string;
  clientId: string;
}

/** A scope that exists (id known) or that an earlier step of the same run creates (found by name). */
export interface ScopeTarget {
  name: string;
  id?: string;
}

export interface MapperBody {
  name: string;
  protocol: 'openid-connect';
  protocolMapper: string;
  config: Record<string, string>;
}

export interface ScopeBody {
  name: string;
  description: string;
  protocol: 'openid-connect';
  attributes: Record<string, string>;
  protocolMappers: MapperBody[];
}

/** A full mapper representation as PUT expects it. */
export type StoredMapper = ProtocolMapperRep & { id: string; name: string };

export type Write =
  | { kind: 'create-client-mapper'; client: ClientTarget; mapper: MapperBody }
  | { kind: 'delete-client-mapper'; client: ClientTarget; mapperName: string }
  | { kind: 'update-client-mapper'; client: ClientTarget; mapper: StoredMapper; replaces: StoredMapper }
  | { kind: 'create-scope'; scope: ScopeBody }
  | { kind: 'delete-scope'; scope: ScopeTarget }
  | { kind: 'update-scope-mapper'; scope: ScopeTarget; mapper: StoredMapper; replaces: StoredMapper }
  | { kind: 'attach-default-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'detach-default-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'attach-optional-scope'; client: ClientTarget; scope: ScopeTarget }
  | { kind: 'detach-optional-scope'; client: ClientTarget; scope: ScopeTarget };

export interface PlanStep {
  write: Write;
  /** What puts things back as they were; ids of created objects are known only once they exist. */
  undo: Write;
  /** The clients this step fixes. */
  clientIds: string[];
}

export interface SkippedClient {
  clientId: string;
  reason: string;
}

export interface CrossAcceptance {
  /** This service… */
  clientId: string;
  /** …will accept access tokens issued to these clients. */
  accepts: string[];
}

export interface Plan {
  realm: string;
  runId: string;
  strategy: Strategy;
  /** What was asked for, so the plan can be made again from fresh data just before it is applied. */
  request: { clientIds: string[]; options: PlanOptions };
  steps: PlanStep[];
  /** The clients the steps fix, in order. */
  fixes: string[];
  skipped: SkippedClient[];
  /** Side effects the admin should know of, e.g. a repaired scope that other clients use too. */
  notes: string[];
  /**
   * Who accepts whose tokens afterwards: each member of a shared scope the others' (applying needs explicit
   * consent), or the API client of a cross-client plan its callers' (what the admin asked for, so no consent).
   */
  crossAcceptance: CrossAcceptance[];
  requiresConsent: boolean;
  /** Cross-client only: the clientId the callers' tokens are to carry. */
  audience?: string;
}

export interface PlanOptions {
  strategy: Strategy;
  runId: string;
  /**
   * Per-client scope: a wished name per clientId (default "<clientId>-audience"). Cross-client: the entry of
   * the API client is the wished name of its audience scope.
   */
  scopeNames?: Record<string, string>;
  /** Shared scope: the one scope's wished name. */
  sharedScopeName?: string;
  /** Cross-client: the API client whose clientId the callers' tokens are to carry. */
  audienceClientId?: string;
}

export const DEFAULT_SHARED_SCOPE_NAME = 'shared-audience';

export const SCOPE_ATTRIBUTES: Readonly<Record<string, string>> = {
  'include.in.token.scope': 'false',
  'display.on.consent.screen': 'false',
};

const MAX_DESCRIPTION_LENGTH = 255;

/** Every object a run creates says who made it, for whom, and in which run, so it can be traced back later. */
export function provenance(clientIds: string[], runId: string): string {
  const suffix = ` (run ${runId})`;
  const quoted = clientIds.map((clientId) => `"${clientId}"`);
  const full = `Created by Audience Doctor for client${clientIds.length > 1 ? 's' : ''} ${quoted.join(', ')}${suffix}`;
  if (full.length <= MAX_DESCRIPTION_LENGTH) return full;
  const short = `Created by Audience Doctor for ${clientIds.length} client${clientIds.length > 1 ? 's' : ''}${suffix}`;
  return short.length <= MAX_DESCRIPTION_LENGTH ? short : `Created by Audience Doctor${suffix}`.slice(0, 255);
}

/** The description of an API client's audience scope: whose audience it adds, then who made it and when. */
export function audienceScopeDescription(audienceClientId: string, runId: string): string {
  const origin = provenance([audienceClientId], runId);
  const texts = [
    `Audience scope of client "${audienceClientId}": the clients it is attached to get "${audienceClientId}" in aud. ${origin}`,
    `Audience scope of an API client. ${origin}`,
  ];
  const fitting = texts.find((text) => text.length <= MAX_DESCRIPTION_LENGTH);
  return (
    fitting ??
    `Audience scope of an API client. Created by Audience Doctor (run ${runId})`.slice(0, MAX_DESCRIPTION_LENGTH)
  );
}

/** The Audience mapper that puts `clientId` into access tokens (and, if `lightweight`, lightweight ones). */
export function audienceMapper(name: string, clientId: string, lightweight: boolean): MapperBody {
  return {
    name,
    protocol: 'openid-connect',
    protocolMapper: AUDIENCE_MAPPER,
    config: {
      'included.client.audience': clientId,
      [ACCESS_TOKEN_FLAG]: 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
      [LIGHTWEIGHT_FLAG]: lightweight ? 'true' : 'false',
    },
  };
}

interface Context {
  snapshot: RealmSnapshot;
  audits: Map<string, ClientAudit>;
  clients: Map<string, ClientRep>;
  scopesByName: Map<string, ClientScopeRep>;
  /** Names this plan already takes, so two new objects never collide. */
  takenScopeNames: Set<string>;
}

const target = (client: ClientRep): ClientTarget => ({ id: client.id, clientId: client.clientId });

/**
 * Whether the mapper must also work in lightweight access tokens: the client uses them, or a policy may switch.
 * The audit reports such a policy only beside a working mapper, so the policies are asked directly as well.
 */
function needsLightweightFlag(audit: ClientAudit, client: ClientRep, context: Context): boolean {
  if (audit.lightweight || audit.problems.some((problem) => problem.code === 'lightweight-policy')) return true;
  const policies = context.snapshot.clientPolicies;
  return policies !== undefined && lightweightPolicies(policies, client).length > 0;
}

/** Why a client cannot or need not be fixed, or undefined when it can. */
function whyNotFixable(audit: ClientAudit | undefined, clientId: string): string | undefined {
  if (!audit) return `There is no client "${clientId}" in the realm (deleted since the audit?).`;
  if (audit.verdict === 'ok') return 'Its access tokens already carry its clientId.';
  if (audit.verdict === 'not-applicable') return audit.reason;
  if (audit.verdict === 'unpredictable') {
    return `A mapper can rewrite aud in ways Audience Doctor cannot see, so it is not changed automatically. ${audit.reason}`;
  }
  if (audit.verdict === 'cannot-judge') {
    // A scope we may not read may already hold the fix: a second one would be a double.
    return `It names client scopes your account cannot read, so it is not changed automatically. ${audit.reason}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- repair

const REPAIRABLE: Problem['code'][] = [
  'token-flag-off',
  'lightweight-flag-missing',
  'uuid-value',
  'optional-not-default',
  'lightweight-policy',
];

interface Repairable {
  container: { type: 'client' | 'scope'; id: string; name: string; attachment: 'dedicated' | 'default' | 'optional' };
  mapper: StoredMapper;
}

function findMapper(context: Context, containerType: 'client' | 'scope', containerId: string, mapperId: string) {
  const mappers =
    containerType === 'client'
      ? context.snapshot.clients.find((client) => client.id === containerId)?.protocolMappers
      : context.snapshot.clientScopes.find((scope) => scope.id === containerId)?.protocolMappers;
  const mapper = mappers?.find((candidate) => candidate.id === mapperId);
  return mapper?.id && mapper.name ? (mapper as StoredMapper) : undefined;
}

/** The existing mapper that is meant to carry the client's own audience but does not work, if there is one. */
function repairable(audit: ClientAudit, client: ClientRep, context: Context): Repairable | undefined {
  const located = [
    ...audit.problems.filter((problem) => REPAIRABLE.includes(problem.code)).map((problem) => problem),
    // A lightweight-policy problem names no mapper: the working mapper is the evidence.
    ...(audit.problems.some((problem) => problem.code === 'lightweight-policy') ? audit.evidence : []),
  ];
  for (const item of located) {
    const { container, mapper } = item;
    if (!container || !mapper?.id || container.applies === 'role-restricted') continue;
    const stored = findMapper(context, container.type, container.id, mapper.id);
    const value = stored && audienceValue(stored);
    if (!stored || !value || value.key !== 'included.client.audience') continue;
    if (value.value !== client.clientId && value.value !== client.id) continue;
    return { container, mapper: stored };
  }
  return undefined;
}

function repairedConfig(mapper: StoredMapper, audit: ClientAudit, lightweight: boolean): Record<string, string> {
  const config = { ...mapper.config };
  config['included.client.audience'] = audit.clientId;
  if (audit.lightweight) config[LIGHTWEIGHT_FLAG] = 'true';
  else {
    config[ACCESS_TOKEN_FLAG] = 'true';
    if (lightweight) config[LIGHTWEIGHT_FLAG] = 'true';
  }
  return config;
}

const sameConfig = (left: Record<string, string> = {}, right: Record<string, string> = {}) =>
  Object.keys(left).length === Object.keys(right).length && Object.keys(left).every((key) => left[key] === right[key]);

function repairSteps(found: Repairable, audit: ClientAudit, client: ClientRep, context: Context): PlanStep[] {
  const steps: PlanStep[] = [];
  const clientIds = [client.clientId];
  const config = repairedConfig(found.mapper, audit, needsLightweightFlag(audit, client, context));
  if (!sameConfig(config, found.mapper.config)) {
    const mapper: StoredMapper = { ...found.mapper, config };
    if (found.container.type === 'client') {
      steps.push({
        write: { kind: 'update-client-mapper', client: target(client), mapper, replaces: found.mapper },
        undo: { kind: 'update-client-mapper', client: target(client), mapper: found.mapper, replaces: mapper },
        clientIds,
      });
    } else {
      const scope = { id: found.container.id, name: found.container.name };
      steps.push({
        write: { kind: 'update-scope-mapper', scope, mapper, replaces: found.mapper },
        undo: { kind: 'update-scope-mapper', scope, mapper: found.mapper, replaces: mapper },
        clientIds,
      });
    }
  }
  if (found.container.type === 'scope' && found.container.attachment === 'optional') {
    steps.push(...linkAsDefault(client, { id: found.container.id, name: found.container.name }, true));
  }
  return steps;
}

function sharedScopeNote(found: Repairable, client: ClientRep, context: Context): string | undefined {
  if (found.container.type !== 'scope') return undefined;
  const others = context.snapshot.clients
    .filter((other) => other.id !== client.id)
    .filter(
      (other) =>
        other.defaultClientScopes?.includes(found.container.name) ||
        other.optionalClientScopes?.includes(found.container.name),
    )
    .map((other) => other.clientId);
  if (others.length === 0) return undefined;
  return `Client scope "${found.container.name}" is also attached to ${others.map((id) => `"${id}"`).join(', ')}: the repaired mapper applies to their tokens too.`;
}

// ---------------------------------------------------------------------------------------------- scopes

/**
 * The mapper of a scope that holds one openid-connect Audience mapper and nothing else, applies to every user
 * (no role scope mappings) and shows neither in the scope claim nor on the consent screen.
 */
function onlyAudienceMapper(scope: ClientScopeRep, context: Context): ProtocolMapperRep | undefined {
  if ((scope.protocol ?? 'openid-connect') !== 'openid-connect') return undefined;
  if (context.snapshot.scopeRoleRestrictions[scope.id] !== false) return undefined;
  for (const [key, value] of Object.entries(SCOPE_ATTRIBUTES)) if (scope.attributes?.[key] !== value) return undefined;
  const mappers = scope.protocolMappers ?? [];
  if (mappers.length !== 1) return undefined;
  const [only] = mappers as [ProtocolMapperRep];
  if (only.protocolMapper !== AUDIENCE_MAPPER || 'included.custom.audience' in (only.config ?? {})) return undefined;
  if ((only.protocol ?? 'openid-connect') !== 'openid-connect') return undefined;
  return only;
}

/** An existing scope that already is exactly what the plan would create. */
function reusable(scope: ClientScopeRep, audit: ClientAudit, client: ClientRep, context: Context): boolean {
  const only = onlyAudienceMapper(scope, context);
  const expected = audienceMapper('', audit.clientId, needsLightweightFlag(audit, client, context)).config;
  return only !== undefined && Object.entries(expected).every(([key, value]) => only.config?.[key] === value);
}

/**
 * An existing audience scope of an API client that works for every caller as it is. Looser than `reusable`:
 * it is not the callers' own fix, so only what decides whether their access tokens carry the audience counts.
 */
function reusableAudienceScope(scope: ClientScopeRep, audience: string, lightweight: boolean, context: Context) {
  const config = onlyAudienceMapper(scope, context)?.config ?? {};
  return (
    config['included.client.audience'] === audience &&
    config[ACCESS_TOKEN_FLAG] === 'true' &&
    (!lightweight || config[LIGHTWEIGHT_FLAG] === 'true')
  );
}

/** The wished name if free, else the first free numbered variant. */
function freeScopeName(wanted: string, context: Context, accept?: (scope: ClientScopeRep) => boolean) {
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : numberedName(wanted, n);
    if (context.takenScopeNames.has(name)) continue;
    const existing = context.scopesByName.get(name);
    if (existing && !accept?.(existing)) continue;
    context.takenScopeNames.add(name);
    return { name, existing };
  }
}

function linkAsDefault(client: ClientRep, scope: ScopeTarget, optionalNow: boolean): PlanStep[] {
  const clientIds = [client.clientId];
  const steps: PlanStep[] = [];
  // Keycloak silently ignores a default link while an optional one exists: remove that first.
  if (optionalNow) {
    steps.push({
      write: { kind: 'detach-optional-scope', client: target(client), scope },
      undo: { kind: 'attach-optional-scope', client: target(client), scope },
      clientIds,
    });
  }
  steps.push({
    write: { kind: 'attach-default-scope', client: target(client), scope },
    undo: { kind: 'detach-default-scope', client: target(client), scope },
    clientIds,
  });
  return steps;
}

function createScopeStep(body: ScopeBody, clientIds: string[]): PlanStep {
  return {
    write: { kind: 'create-scope', scope: body },
    undo: { kind: 'delete-scope', scope: { name: body.name } },
    clientIds,
  };
}

function clientScopeSteps(audit: ClientAudit, client: ClientRep, context: Context, options: PlanOptions) {
  const wished = validScopeName(options.scopeNames?.[client.clientId]?.trim() || audienceName(client.clientId));
  const { name, existing } = freeScopeName(wished, context, (scope) => reusable(scope, audit, client, context));
  if (existing) {
    const optionalNow = client.optionalClientScopes?.includes(existing.name) === true;
    return linkAsDefault(client, { id: existing.id, name }, optionalNow);
  }
  const body: ScopeBody = {
    name,
    description: provenance([client.clientId], options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: [
      audienceMapper(audienceName(client.clientId), client.clientId, needsLightweightFlag(audit, client, context)),
    ],
  };
  return [createScopeStep(body, [client.clientId]), ...linkAsDefault(client, { name }, false)];
}

function dedicatedMapperSteps(audit: ClientAudit, client: ClientRep, context: Context): PlanStep[] {
  const names = new Set((client.protocolMappers ?? []).map((mapper) => mapper.name));
  const wished = audienceName(client.clientId);
  let name = wished;
  for (let n = 2; names.has(name); n++) name = numberedName(wished, n);
  const mapper = audienceMapper(name, client.clientId, needsLightweightFlag(audit, client, context));
  return [
    {
      write: { kind: 'create-client-mapper', client: target(client), mapper },
      undo: { kind: 'delete-client-mapper', client: target(client), mapperName: name },
      clientIds: [client.clientId],
    },
  ];
}

function sharedScopeSteps(fixing: { audit: ClientAudit; client: ClientRep }[], context: Context, options: PlanOptions) {
  if (fixing.length === 0) return [];
  const wished = validScopeName(options.sharedScopeName?.trim() || DEFAULT_SHARED_SCOPE_NAME);
  const { name } = freeScopeName(wished, context);
  const clientIds = fixing.map(({ client }) => client.clientId);
  const body: ScopeBody = {
    name,
    description: provenance(clientIds, options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: fixing.map(({ audit, client }) =>
      audienceMapper(audienceName(client.clientId), client.clientId, needsLightweightFlag(audit, client, context)),
    ),
  };
  return [createScopeStep(body, clientIds), ...fixing.flatMap(({ client }) => linkAsDefault(client, { name }, false))];
}

// ---------------------------------------------------------------------------------------------- cross-client

interface Outcome {
  steps: PlanStep[];
  fixes: string[];
  skipped: SkippedClient[];
  notes: string[];
}

/** Why a caller cannot or need not get the API client's audience, or undefined when it can. */
function whyNotCaller(
  clientId: string,
  found: { audit: ClientAudit; client: ClientRep } | undefined,
  audience: string,
  holders: AudienceHolder[],
): string | undefined {
  if (clientId === audience) {
    return `It is the API client "${audience}" itself: to put its own clientId into its tokens, choose another strategy.`;
  }
  if (!found) return `There is no client "${clientId}" in the realm (deleted since the audit?).`;
  if (found.audit.verdict === 'not-applicable') {
    const why = whyNoTokens(found.client);
    return why ? `It gets no access tokens that could carry "${audience}": ${why}.` : found.audit.reason;
  }
  if (holders.some((holder) => holder.clientId === clientId && holder.applies === 'always')) {
    return `Its access tokens already carry "${audience}".`;
  }
  return undefined;
}

/** The API client's audience scope (found or created) attached as a default scope to each caller that needs it. */
function crossClientPlan(audit: RealmAudit, callerIds: string[], context: Context, options: PlanOptions): Outcome {
  const outcome: Outcome = { steps: [], fixes: [], skipped: [], notes: [] };
  const audience = options.audienceClientId;
  const unique = [...new Set(callerIds)];
  if (!audience || !context.clients.has(audience)) {
    const reason = audience
      ? `There is no API client "${audience}" in the realm (deleted since the audit?).`
      : 'No API client chosen: name the client whose clientId these tokens should carry.';
    outcome.skipped = unique.map((clientId) => ({ clientId, reason }));
    return outcome;
  }

  const holders = audit.audienceIndex[audience] ?? [];
  const callers: { audit: ClientAudit; client: ClientRep }[] = [];
  for (const clientId of unique) {
    const clientAudit = context.audits.get(clientId);
    const client = context.clients.get(clientId);
    const found = clientAudit && client ? { audit: clientAudit, client } : undefined;
    const why = whyNotCaller(clientId, found, audience, holders);
    if (why || !found) {
      outcome.skipped.push({ clientId, reason: why ?? `There is no client "${clientId}" in the realm.` });
      continue;
    }
    // The scope only adds to aud, so it is safe even where the rest of aud cannot be predicted.
    if (found.audit.verdict === 'unpredictable') {
      outcome.notes.push(
        `"${clientId}": ${found.audit.reason} The scope is attached all the same, but whether its tokens then carry "${audience}" cannot be predicted.`,
      );
    }
    callers.push(found);
  }
  if (callers.length === 0) return outcome;

  const lightweight = callers.some(({ audit: item, client }) => needsLightweightFlag(item, client, context));
  const wished = validScopeName(options.scopeNames?.[audience]?.trim() || audienceName(audience));
  const { name, existing } = freeScopeName(wished, context, (scope) =>
    reusableAudienceScope(scope, audience, lightweight, context),
  );
  if (existing) {
    for (const { client } of callers) {
      // Linking again would be a no-op whose undo removes a link the run did not make.
      if (client.defaultClientScopes?.includes(name)) {
        outcome.skipped.push({
          clientId: client.clientId,
          reason: `Client scope "${name}" is one of its default scopes already, yet its tokens do not carry "${audience}".`,
        });
        continue;
      }
      const optionalNow = client.optionalClientScopes?.includes(name) === true;
      outcome.steps.push(...linkAsDefault(client, { id: existing.id, name }, optionalNow));
      outcome.fixes.push(client.clientId);
    }
    return outcome;
  }
  const body: ScopeBody = {
    name,
    description: audienceScopeDescription(audience, options.runId),
    protocol: 'openid-connect',
    attributes: { ...SCOPE_ATTRIBUTES },
    protocolMappers: [audienceMapper(audienceName(audience), audience, lightweight)],
  };
  outcome.fixes = callers.map(({ client }) => client.clientId);
  outcome.steps = [
    createScopeStep(body, [...outcome.fixes]),
    ...callers.flatMap(({ client }) => linkAsDefault(client, { name }, false)),
  ];
  return outcome;
}

// ---------------------------------------------------------------------------------------------- plan

/**
 * What to write so that each chosen client's access tokens carry its own clientId, or, for cross-client,
 * the API client's clientId. Pure: the snapshot and its audit in, the ordered writes out. A broken fix of
 * a client's own audience is always repaired, never doubled.
 */
export function planFix(snapshot: RealmSnapshot, audit: RealmAudit, clientIds: string[], options: PlanOptions): Plan {
  const context: Context = {
    snapshot,
    audits: new Map(audit.clients.map((item) => [item.clientId, item])),
    clients: new Map(snapshot.clients.map((client) => [client.clientId, client])),
    scopesByName: new Map(snapshot.clientScopes.map((scope) => [scope.name, scope])),
    takenScopeNames: new Set(),
  };
  const head = {
    realm: snapshot.realm,
    runId: options.runId,
    strategy: options.strategy,
    request: { clientIds: [...clientIds], options },
  };
  if (options.strategy === 'cross-client') {
    const outcome = crossClientPlan(audit, clientIds, context, options);
    const audience = options.audienceClientId;
    return {
      ...head,
      ...outcome,
      crossAcceptance:
        audience && outcome.fixes.length > 0 ? [{ clientId: audience, accepts: [...outcome.fixes] }] : [],
      requiresConsent: false,
      ...(audience ? { audience } : {}),
    };
  }
  const steps: PlanStep[] = [];
  const skipped: SkippedClient[] = [];
  const notes: string[] = [];
  const fixes: string[] = [];
  const shared: { audit: ClientAudit; client: ClientRep }[] = [];

  for (const clientId of [...new Set(clientIds)]) {
    const clientAudit = context.audits.get(clientId);
    const client = context.clients.get(clientId);
    const why = whyNotFixable(clientAudit, clientId);
    if (why || !clientAudit || !client) {
      skipped.push({ clientId, reason: why ?? `There is no client "${clientId}" in the realm.` });
      continue;
    }
    const broken = repairable(clientAudit, client, context);
    if (broken) {
      const repair = repairSteps(broken, clientAudit, client, context);
      if (repair.length > 0) {
        steps.push(...repair);
        fixes.push(clientId);
        const mapperChanged = repair.some((step) => step.write.kind === 'update-scope-mapper');
        const note = mapperChanged ? sharedScopeNote(broken, client, context) : undefined;
        if (note) notes.push(note);
        if (options.strategy !== 'repair') {
          notes.push(
            `"${clientId}" already has an Audience mapper for itself that does not work ("${broken.mapper.name}"): it is repaired instead of adding a second one.`,
          );
        }
        continue;
      }
    }
    if (options.strategy === 'repair') {
      skipped.push({ clientId, reason: 'It has no broken Audience mapper to repair: choose another way to fix it.' });
      continue;
    }
    fixes.push(clientId);
    if (options.strategy === 'dedicated-mapper') steps.push(...dedicatedMapperSteps(clientAudit, client, context));
    else if (options.strategy === 'client-scope')
      steps.push(...clientScopeSteps(clientAudit, client, context, options));
    else shared.push({ audit: clientAudit, client });
  }
  steps.push(...sharedScopeSteps(shared, context, options));

  const sharedIds = shared.map(({ client }) => client.clientId);
  const crossAcceptance =
    sharedIds.length > 1
      ? sharedIds.map((clientId) => ({ clientId, accepts: sharedIds.filter((other) => other !== clientId) }))
      : [];
  return {
    ...head,
    steps,
    fixes,
    skipped,
    notes,
    crossAcceptance,
    requiresConsent: crossAcceptance.length > 0,
  };
}

/**
 * The strategy to offer first for a client's own audience: repair when the client already has a broken fix
 * of its own. Never cross-client: that one answers another question (which API the tokens are for).
 */
export function suggestedStrategy(snapshot: RealmSnapshot, audit: RealmAudit, clientIds: string[]): Strategy {
  const plan = planFix(snapshot, audit, clientIds, { strategy: 'repair', runId: 'suggestion' });
  return plan.fixes.length > 0 && plan.skipped.every((item) => !item.reason.startsWith('It has no broken'))
    ? 'repair'
    : 'dedicated-mapper';
}

/** The snapshot as it would be after the plan: lets the engine predict the result before anything is written. */
export function simulate(snapshot: RealmSnapshot, plan: Plan): RealmSnapshot {
  const clients = snapshot.clients.map((client) => ({
    ...client,
    protocolMappers: [...(client.protocolMappers ?? [])],
    defaultClientScopes: [...(client.defaultClientScopes ?? [])],
    optionalClientScopes: [...(client.optionalClientScopes ?? [])],
  }));
  const clientScopes = snapshot.clientScopes.map((scope) => ({
    ...scope,
    protocolMappers: [...(scope.protocolMappers ?? [])],
  }));
  const scopeRoleRestrictions = { ...snapshot.scopeRoleRestrictions };
  const clientById = (id: string) => clients.find((client) => client.id === id) as ClientRep & Required<ClientRep>;
  const scopeNamed = (name: string) => clientScopes.find((scope) => scope.name === name);
  const replace = (mappers: ProtocolMapperRep[], mapper: StoredMapper) => {
    const index = mappers.findIndex((item) => item.id === mapper.id);
    if (index >= 0) mappers[index] = mapper;
  };
  for (const { write } of plan.steps) {
    switch (write.kind) {
      case 'create-client-mapper':
        clientById(write.client.id).protocolMappers.push({ ...write.mapper, id: `new-${write.mapper.name}` });
        break;
      case 'update-client-mapper':
        replace(clientById(write.client.id).protocolMappers, write.mapper);
        break;
      case 'create-scope': {
        const id = `new-scope-${write.scope.name}`;
        clientScopes.push({
          ...write.scope,
          id,
          protocolMappers: write.scope.protocolMappers.map((mapper) => ({ ...mapper, id: `${id}-${mapper.name}` })),
        });
        scopeRoleRestrictions[id] = false;
        break;
      }
      case 'update-scope-mapper': {
        const scope = scopeNamed(write.scope.name);
        if (scope) replace(scope.protocolMappers as ProtocolMapperRep[], write.mapper);
        break;
      }
      case 'attach-default-scope':
        clientById(write.client.id).defaultClientScopes.push(write.scope.name);
        break;
      case 'detach-optional-scope': {
        const client = clientById(write.client.id);
        client.optionalClientScopes = client.optionalClientScopes.filter((name) => name !== write.scope.name);
        break;
      }
      default:
        throw new Error(`a plan does not contain "${write.kind}" writes`);
    }
  }
  return { ...snapshot, clients, clientScopes, scopeRoleRestrictions };
}

/** The verdicts the engine predicts for the fixed clients once the plan is applied. */
export function predictedAfter(snapshot: RealmSnapshot, plan: Plan): Map<string, ClientAudit> {
  const after = auditRealm(simulate(snapshot, plan));
  const fixes = new Set(plan.fixes);
  return new Map(after.clients.filter((item) => fixes.has(item.clientId)).map((item) => [item.clientId, item]));
}

/**
 * Who puts `audienceClientId` into their access tokens, and when: the engine's reverse index for that one
 * audience. Pass the audit when it is at hand, to spare a second run of the engine.
 */
export function audienceHolders(
  snapshot: RealmSnapshot,
  audienceClientId: string,
  audit: RealmAudit = auditRealm(snapshot),
): AudienceHolder[] {
  return (audit.audienceIndex[audienceClientId] ?? []).map((holder) => ({ ...holder }));
}

/** The holders of a cross-client plan's audience once the plan is applied; none for a plan without one. */
export function predictedHolders(snapshot: RealmSnapshot, plan: Plan): AudienceHolder[] {
  return plan.audience === undefined ? [] : audienceHolders(simulate(snapshot, plan), plan.audience);
}
