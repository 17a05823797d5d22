import { z } from 'zod';
import type { SkipCode } from '../audit/fixability.ts';
import { fixRequestSchema, writeSchema } from './journal-schema.ts';
import { crossClientAudience } from './plan.ts';
import { type CrossAcceptance, type FixRequest, type Plan, type PlanStep, STRATEGIES, type Strategy } from './types.ts';

/** What the file says it is, so that another JSON document is never taken for a plan. */
export const PLAN_FILE_FORMAT = 'audience-doctor-plan';
/** Raised when a field changes its meaning; a reader refuses versions it does not know. */
export const PLAN_FILE_VERSION = 1;

/**
 * A plan saved for review and a later apply: what was asked for (to plan again from fresh data), and the
 * writes that were reviewed (the fresh plan must equal them). Ids, names and representations only, never a
 * token or a secret.
 */
export interface PlanFile {
  format: typeof PLAN_FILE_FORMAT;
  version: typeof PLAN_FILE_VERSION;
  /** When it was planned (ISO time). */
  createdAt: string;
  /** The Keycloak it was planned against; applying it anywhere else is refused. */
  keycloakUrl: string;
  realm: string;
  strategy: Strategy;
  request: FixRequest;
  /** The clients the steps fix, in order. */
  fixes: string[];
  /** Cross-client only: the clientId (or request.options.customAudience) the callers' tokens are to carry. */
  audience?: string;
  /** Who accepts whose tokens afterwards. */
  crossAcceptance: CrossAcceptance[];
  /** The admin agreed that the services of a shared scope accept each other's tokens. */
  crossTrustAccepted: boolean;
  skipped: { clientId: string; code: SkipCode; reason: string }[];
  notes: string[];
  /** The reviewed writes, each with what undoes it. */
  steps: PlanStep[];
}

const SKIP_CODES = [
  'no-such-client',
  'already-ok',
  'not-applicable',
  'unpredictable',
  'cannot-judge',
  'nothing-to-repair',
  'is-audience-client',
  'no-audience-client',
  'bad-custom-audience',
  'scope-linked-without-effect',
  'not-required',
  'requirements-unchanged',
  'requirements-unreadable',
  'unknown-audience',
  'unknown-caller',
  'not-configurable',
] as const satisfies readonly SkipCode[];
// Fails to compile when a skip code is added to the engine but not here.
const everySkipCode: Exclude<SkipCode, (typeof SKIP_CODES)[number]> extends never ? true : false = true;
void everySkipCode;

const planFileSchema = z.object({
  format: z.literal(PLAN_FILE_FORMAT),
  version: z.literal(PLAN_FILE_VERSION),
  createdAt: z.string(),
  keycloakUrl: z.string().min(1),
  realm: z.string().min(1),
  strategy: z.enum(STRATEGIES as [Strategy, ...Strategy[]]),
  request: fixRequestSchema,
  fixes: z.array(z.string()),
  audience: z.string().optional(),
  crossAcceptance: z.array(z.object({ clientId: z.string(), accepts: z.array(z.string()) })),
  crossTrustAccepted: z.boolean(),
  skipped: z.array(z.object({ clientId: z.string(), code: z.enum(SKIP_CODES), reason: z.string() })),
  notes: z.array(z.string()),
  steps: z.array(z.object({ write: writeSchema, undo: writeSchema, clientIds: z.array(z.string()) })),
});

/** Whether applying makes services accept each other's tokens: one scope for several of their own audiences. */
function needsConsent(strategy: Strategy, crossAcceptance: CrossAcceptance[], steps: PlanStep[]): boolean {
  if (strategy === 'cross-client') return false;
  return crossAcceptance.length > 0 || steps.some((step) => step.clientIds.length > 1);
}

export function buildPlanFile(
  plan: Plan,
  context: { keycloakUrl: string; crossTrustAccepted: boolean; now?: Date },
): PlanFile {
  return {
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    createdAt: (context.now ?? new Date()).toISOString(),
    keycloakUrl: context.keycloakUrl,
    realm: plan.realm,
    strategy: plan.strategy,
    request: plan.request,
    fixes: [...plan.fixes],
    ...(plan.audience !== undefined ? { audience: plan.audience } : {}),
    crossAcceptance: plan.crossAcceptance,
    crossTrustAccepted: context.crossTrustAccepted,
    skipped: plan.skipped,
    notes: plan.notes,
    steps: plan.steps.map((step) => ({ write: step.write, undo: step.undo, clientIds: [...step.clientIds] })),
  };
}

/** The file as text: stable, indented JSON that a reviewer can read and diff. */
export const planFileText = (file: PlanFile) => `${JSON.stringify(file, null, 2)}\n`;

/** Checks that the parts agree with each other, which the shape alone cannot say. */
function inconsistency(file: PlanFile): string | undefined {
  const { request } = file;
  if (request.options.strategy !== file.strategy) {
    return `the strategy is "${file.strategy}" but the request asks for "${request.options.strategy}"`;
  }
  const fixes = new Set(file.fixes);
  const stray = file.fixes.find((clientId) => !request.clientIds.includes(clientId));
  if (stray !== undefined) return `it fixes "${stray}", which the request does not name`;
  const unplanned = file.steps.flatMap((step) => step.clientIds).find((clientId) => !fixes.has(clientId));
  if (unplanned !== undefined) return `a step is for "${unplanned}", which the plan does not fix`;
  if (file.strategy === 'cross-client' && file.audience !== crossClientAudience(request.options)) {
    return 'the audience differs from the one the request asks for';
  }
  if (needsConsent(file.strategy, file.crossAcceptance, file.steps) && !file.crossTrustAccepted) {
    return 'it makes services accept each other’s tokens, which was not agreed to (--accept-cross-trust)';
  }
  return undefined;
}

/**
 * A plan file read back, or a sentence saying what is wrong with it. The value that passed the schema is
 * kept as it was read: the writes must compare equal, key for key, with the ones planned again from fresh
 * data, and a parser's output would order keys its own way.
 */
export function parsePlanFile(value: unknown): { planFile: PlanFile } | { problem: string } {
  const head = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  if (head.format !== PLAN_FILE_FORMAT) return { problem: 'Not a plan file of Audience Doctor.' };
  if (head.version !== PLAN_FILE_VERSION) {
    return {
      problem: `A plan file of version ${JSON.stringify(head.version)}; this version of Audience Doctor reads version ${PLAN_FILE_VERSION}: plan again.`,
    };
  }
  const parsed = planFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { problem: `Not a valid plan file${where}: ${issue?.message ?? 'unreadable'}.` };
  }
  const planFile = value as PlanFile;
  const problem = inconsistency(planFile);
  return problem ? { problem: `Not a valid plan file: ${problem}.` } : { planFile };
}

/** The plan as the run expects its preview: applying makes it again from fresh data and compares the writes. */
export function planOf(file: PlanFile): Plan {
  return {
    realm: file.realm,
    runId: file.request.options.runId,
    strategy: file.strategy,
    request: file.request,
    steps: file.steps,
    fixes: file.fixes,
    skipped: file.skipped,
    notes: file.notes,
    crossAcceptance: file.crossAcceptance,
    requiresConsent: needsConsent(file.strategy, file.crossAcceptance, file.steps),
    ...(file.audience !== undefined ? { audience: file.audience } : {}),
  };
}
