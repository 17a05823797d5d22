import { z } from 'zod';
import { type FixRequest, STRATEGIES, type Strategy, type Write } from './types.ts';

// No compiled parsers: zod's probe for them calls `new Function`, which the dashboard's CSP (script-src 'self')
// reports as a violation even though zod catches the refusal.
z.config({ jitless: true });

const client = z.object({ id: z.string(), clientId: z.string() });
const scopeTarget = z.object({ name: z.string(), id: z.string().optional() });
const config = z.record(z.string(), z.string());
const mapperBody = z.object({
  name: z.string(),
  protocol: z.literal('openid-connect'),
  protocolMapper: z.string(),
  config,
});
const storedMapper = z.looseObject({
  id: z.string(),
  name: z.string(),
  protocol: z.string().optional(),
  protocolMapper: z.string().optional(),
  config: config.optional(),
});
const scopeBody = z.object({
  name: z.string(),
  description: z.string(),
  protocol: z.literal('openid-connect'),
  attributes: config,
  protocolMappers: z.array(mapperBody),
});
const link = (kind: Write['kind']) => z.object({ kind: z.literal(kind), client, scope: scopeTarget });

/** Every write kind as data; the `satisfies` below fails to compile when a kind is missing or wrong. */
export const writeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create-client-mapper'), client, mapper: mapperBody }),
  z.object({ kind: z.literal('delete-client-mapper'), client, mapperName: z.string() }),
  z.object({ kind: z.literal('update-client-mapper'), client, mapper: storedMapper, replaces: storedMapper }),
  z.object({ kind: z.literal('create-scope'), scope: scopeBody }),
  z.object({ kind: z.literal('delete-scope'), scope: scopeTarget }),
  z.object({
    kind: z.literal('update-scope-mapper'),
    scope: scopeTarget,
    mapper: storedMapper,
    replaces: storedMapper,
  }),
  link('attach-default-scope'),
  link('detach-default-scope'),
  link('attach-optional-scope'),
  link('detach-optional-scope'),
  z.object({
    kind: z.literal('set-client-attribute'),
    client,
    name: z.string().min(1),
    value: z.string().nullable(),
    replaces: z.string().nullable(),
  }),
]);

const strategy = z.enum(STRATEGIES as [Strategy, ...Strategy[]]);

export const planOptionsSchema = z.object({
  strategy,
  runId: z.string().min(1),
  scopeNames: z.record(z.string(), z.string()).optional(),
  sharedScopeName: z.string().optional(),
  audienceClientId: z.string().optional(),
  customAudience: z.string().optional(),
  requirements: z.record(z.string(), z.array(z.string()).nullable()).optional(),
  callers: z.record(z.string(), z.array(z.string()).nullable()).optional(),
  replaceUnreadable: z.boolean().optional(),
  acceptUnknownAudiences: z.boolean().optional(),
});

export const fixRequestSchema = z.object({ clientIds: z.array(z.string()), options: planOptionsSchema });

const stepStatus = z.enum(['pending', 'writing', 'written', 'already-there', 'undone', 'undo-failed']);

const journalStep = z.object({
  index: z.number().int().nonnegative(),
  write: writeSchema,
  undo: writeSchema,
  clientIds: z.array(z.string()),
  /** Sent, answer not seen ("writing"): after an interruption Keycloak itself must be asked whether it happened. */
  status: stepStatus,
  /** The id Keycloak gave to an object the step created. */
  createdId: z.string().optional(),
  /** When the status last changed (ISO time). */
  at: z.string().optional(),
  /** Why it failed or could not be undone. */
  problem: z.string().optional(),
});

const runState = z.enum([
  'running',
  'applied',
  /** Failed or cancelled, and everything written was undone. */
  'rolled-back',
  /** Failed or cancelled, and some of it could not be undone: see the steps. */
  'partly-rolled-back',
  'undone',
  /** Stopped without a result, e.g. the page was closed or the session ended. */
  'interrupted',
  /** Interrupted, then continued by a later run. */
  'resumed',
]);

/** One run: ids, names and representations, never tokens or secrets. */
export const runJournalSchema = z.object({
  runId: z.string().min(1),
  keycloakUrl: z.string(),
  realm: z.string().min(1),
  strategy,
  fixes: z.array(z.string()),
  startedAt: z.string(),
  updatedAt: z.string(),
  state: runState,
  /** The request the plan was made from, so an interrupted run can be resumed. */
  request: fixRequestSchema,
  steps: z.array(journalStep),
  message: z.string().optional(),
});

export type JournalStepStatus = z.infer<typeof stepStatus>;
export type RunState = z.infer<typeof runState>;

export interface JournalStep {
  index: number;
  write: Write;
  undo: Write;
  clientIds: string[];
  status: JournalStepStatus;
  createdId?: string;
  at?: string;
  problem?: string;
}

export interface RunJournal {
  runId: string;
  keycloakUrl: string;
  realm: string;
  strategy: Strategy;
  fixes: string[];
  startedAt: string;
  updatedAt: string;
  state: RunState;
  request: FixRequest;
  steps: JournalStep[];
  message?: string;
}

/** A journal read from storage or a file, or a sentence saying what is wrong with it. */
export function parseJournal(value: unknown): { journal: RunJournal } | { problem: string } {
  const parsed = runJournalSchema.safeParse(value);
  // The schema's optional fields read `T | undefined`; a value that passed it is a RunJournal (journal.test.ts).
  if (parsed.success) return { journal: parsed.data as RunJournal };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return { problem: `Not a run journal of Audience Doctor${where}: ${issue?.message ?? 'unreadable'}.` };
}
