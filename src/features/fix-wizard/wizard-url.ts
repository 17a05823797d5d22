import { shortHash } from '../../remediation/names.ts';
import type { Plan, Strategy } from '../../remediation/types.ts';

export const WIZARD_STEPS = ['strategy', 'options', 'preview', 'apply', 'verify', 'done'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export type OwnStrategy = Exclude<Strategy, 'cross-client' | 'requirements'>;
const OWN_STRATEGIES: OwnStrategy[] = ['dedicated-mapper', 'client-scope', 'shared-scope', 'repair'];

/** Which clients the wizard is for: named ones, or every client the table's filter matches (kept as the filter). */
export type WizardTarget = { clientIds: string[] } | { allMatching: true };

/** The requirements mode's two explicit choices (the lists themselves are in the run's draft, not in the URL). */
export interface RequirementsChoices {
  replaceUnreadable: boolean;
  acceptUnknownAudiences: boolean;
}

/** The open wizard as the URL holds it: a reload or a shared link opens the same wizard at the same step. */
export interface WizardUrl {
  target: WizardTarget;
  /** Cross-client: the API client whose clientId the callers' tokens are to carry, or the custom audience. */
  audience?: string;
  /** Cross-client: `audience` is a custom audience (Included Custom Audience), not a clientId. */
  customAudience?: true;
  /** Set in the requirements mode: the audience-doctor.requires attributes are written. */
  requirements?: RequirementsChoices;
  step: WizardStep;
  /** The run's id: fixed before apply (objects carry it), then the key of the run's journal. */
  runId: string;
  strategy?: OwnStrategy;
  scopeNames: Record<string, string>;
  sharedName: string;
  /** The fingerprint of the plan last previewed, to say after a reload whether the plan changed. */
  planned?: string;
}

const KEYS = {
  mode: 'fix',
  client: 'fixClient',
  audience: 'fixAudience',
  custom: 'fixCustom',
  step: 'fixStep',
  run: 'fixRun',
  strategy: 'fixStrategy',
  scopeNames: 'fixScopeNames',
  shared: 'fixShared',
  planned: 'fixPlanned',
  replaceUnreadable: 'fixReplaceUnreadable',
  acceptUnknown: 'fixAcceptUnknown',
} as const;

const ALL_MATCHING = 'all-matching';

function readNames(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/** The wizard the URL opens, or undefined when none is open (or the URL names no run). */
export function readWizard(params: URLSearchParams): WizardUrl | undefined {
  const mode = params.get(KEYS.mode);
  const runId = params.get(KEYS.run);
  if ((mode !== 'own' && mode !== 'cross' && mode !== 'requirements') || !runId) return undefined;
  const step = WIZARD_STEPS.find((candidate) => candidate === params.get(KEYS.step)) ?? 'strategy';
  if (mode === 'requirements') {
    const choices = {
      replaceUnreadable: params.get(KEYS.replaceUnreadable) === '1',
      acceptUnknownAudiences: params.get(KEYS.acceptUnknown) === '1',
    };
    const planned = params.get(KEYS.planned);
    return { ...newRequirementsWizard(runId, choices), step, ...(planned ? { planned } : {}) };
  }
  const audience = params.get(KEYS.audience) ?? undefined;
  if (mode === 'cross' && !audience) return undefined;
  const clients = params.getAll(KEYS.client);
  const strategy = OWN_STRATEGIES.find((candidate) => candidate === params.get(KEYS.strategy));
  return {
    target: clients.length === 1 && clients[0] === ALL_MATCHING ? { allMatching: true } : { clientIds: clients },
    ...(mode === 'cross' ? { audience } : {}),
    ...(mode === 'cross' && params.get(KEYS.custom) === '1' ? { customAudience: true as const } : {}),
    step,
    runId,
    ...(strategy ? { strategy } : {}),
    scopeNames: readNames(params.get(KEYS.scopeNames)),
    sharedName: params.get(KEYS.shared) ?? '',
    ...(params.get(KEYS.planned) ? { planned: params.get(KEYS.planned) as string } : {}),
  };
}

/** The URL with the wizard written into it, or taken out of it (undefined); every other parameter is kept. */
export function writeWizard(params: URLSearchParams, wizard: WizardUrl | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of Object.values(KEYS)) next.delete(key);
  if (!wizard) return next;
  if (wizard.requirements) {
    next.set(KEYS.mode, 'requirements');
    next.set(KEYS.step, wizard.step);
    next.set(KEYS.run, wizard.runId);
    if (wizard.requirements.replaceUnreadable) next.set(KEYS.replaceUnreadable, '1');
    if (wizard.requirements.acceptUnknownAudiences) next.set(KEYS.acceptUnknown, '1');
    if (wizard.planned) next.set(KEYS.planned, wizard.planned);
    return next;
  }
  next.set(KEYS.mode, wizard.audience === undefined ? 'own' : 'cross');
  if ('allMatching' in wizard.target) next.append(KEYS.client, ALL_MATCHING);
  else for (const clientId of wizard.target.clientIds) next.append(KEYS.client, clientId);
  if (wizard.audience !== undefined) next.set(KEYS.audience, wizard.audience);
  if (wizard.audience !== undefined && wizard.customAudience) next.set(KEYS.custom, '1');
  next.set(KEYS.step, wizard.step);
  next.set(KEYS.run, wizard.runId);
  if (wizard.strategy) next.set(KEYS.strategy, wizard.strategy);
  const names = Object.entries(wizard.scopeNames).filter(([, name]) => name !== '');
  if (names.length > 0) next.set(KEYS.scopeNames, JSON.stringify(Object.fromEntries(names)));
  if (wizard.sharedName) next.set(KEYS.shared, wizard.sharedName);
  if (wizard.planned) next.set(KEYS.planned, wizard.planned);
  return next;
}

/**
 * A new wizard at its first step: for the clients' own audience, or with `audience` the cross-client one,
 * for an API client's clientId or (`customAudience`) a custom audience.
 */
export function newWizard(target: WizardTarget, runId: string, audience?: string, customAudience = false): WizardUrl {
  return {
    target,
    step: 'strategy',
    runId,
    scopeNames: {},
    sharedName: '',
    ...(audience ? { audience } : {}),
    ...(audience && customAudience ? { customAudience: true as const } : {}),
  };
}

/**
 * A new wizard that writes requirements. Its clients and lists are the run's draft (requirements-draft.ts),
 * saved under the run id before the wizard opens: the URL holds only the step and the two choices.
 */
export function newRequirementsWizard(
  runId: string,
  choices: RequirementsChoices = { replaceUnreadable: false, acceptUnknownAudiences: false },
): WizardUrl {
  return { target: { clientIds: [] }, step: 'strategy', runId, scopeNames: {}, sharedName: '', requirements: choices };
}

/** A short fingerprint of what a plan writes: equal plans, equal fingerprints. */
export const planFingerprint = (plan: Plan) => shortHash(JSON.stringify(plan.steps.map((step) => step.write)));
