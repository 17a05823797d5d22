import { ownAudienceRequired } from '../audit/fixability.ts';
import type { RequirementLists } from '../audit/requirements.ts';
import { buildPlanFile, planFileText } from '../remediation/plan-file.ts';
import { newRunId } from '../remediation/run-id.ts';
import type { RealmState } from '../remediation/session.ts';
import type { FixRequest, PlanOptions } from '../remediation/types.ts';
import { CliFailure } from './failure.ts';
import { fileProblem, writeAtomically } from './files.ts';
import { FIX_EXIT, planExitCode } from './fix-exit-code.ts';
import type { PlanCommand } from './fix-options.ts';
import { acceptanceLines, planOutput, shellWord } from './fix-render.ts';
import { openSession, readRealm } from './fix-session.ts';
import type { Io } from './io.ts';
import { readCallersFile, readRequirementsFile } from './requirements-file.ts';

/**
 * --all-missing: every client the engine finds missing its own clientId where that is required, Keycloak's
 * own clients left out.
 */
const missingClients = ({ audit }: RealmState) =>
  audit.clients
    .filter((client) => client.ownVerdict === 'missing' && ownAudienceRequired(client) && !client.builtIn)
    .map((client) => client.clientId);

/** A client named on the command line that the realm does not have is a typo, not something to skip. */
function checkClientsExist({ snapshot }: RealmState, clientIds: string[], flag: string): void {
  const known = new Set(snapshot.clients.map((client) => client.clientId));
  const unknown = clientIds.filter((clientId) => !known.has(clientId));
  if (unknown.length > 0) {
    const names = unknown.map((clientId) => `"${clientId}"`).join(', ');
    throw new CliFailure(`${flag}: realm ${snapshot.realm} has no client ${names}`);
  }
}

/** A custom audience that is a clientId is that client's audience: --audience is the fix for it. */
function checkNoClient({ snapshot }: RealmState, value: string): void {
  if (snapshot.clients.some((client) => client.clientId === value)) {
    throw new CliFailure(
      `--custom-audience "${value}" is the clientId of a client of realm ${snapshot.realm}: use --audience ${shellWord(value)}`,
    );
  }
}

interface RequirementsFiles {
  requirements: RequirementLists | undefined;
  callers: RequirementLists | undefined;
}

/** Requirements: the files' lists, for the clients --client names (all of the files' when none). */
function requirementsRequest(options: PlanCommand, files: RequirementsFiles): FixRequest {
  const named = [...(files.requirements?.keys() ?? []), ...(files.callers?.keys() ?? [])];
  const clientIds = options.clientIds ?? [...new Set(named)];
  const missing = clientIds.filter((clientId) => !named.includes(clientId));
  if (missing.length > 0) {
    const which = [files.requirements && '--requirements', files.callers && '--callers'].filter(Boolean).join(' or ');
    throw new CliFailure(`--client ${missing.map((id) => `"${id}"`).join(', ')}: not in the ${which} file`);
  }
  const listsOf = (file: RequirementLists | undefined) =>
    file &&
    Object.fromEntries(
      clientIds.flatMap((clientId) => (file.has(clientId) ? [[clientId, file.get(clientId) ?? null]] : [])),
    );
  const requirements = listsOf(files.requirements);
  const callers = listsOf(files.callers);
  return {
    clientIds,
    options: {
      strategy: 'requirements',
      runId: newRunId(),
      ...(requirements ? { requirements } : {}),
      ...(callers ? { callers } : {}),
      ...(options.replaceUnreadable ? { replaceUnreadable: true } : {}),
      ...(options.acceptUnknownAudiences ? { acceptUnknownAudiences: true } : {}),
    },
  };
}

function requestOf(options: PlanCommand, clientIds: string[]): FixRequest {
  const target = options.strategy === 'cross-client' ? (options.customAudience ?? options.audience) : clientIds[0];
  const planOptions: PlanOptions = {
    strategy: options.strategy,
    runId: newRunId(),
    ...(options.scopeName !== undefined && target !== undefined ? { scopeNames: { [target]: options.scopeName } } : {}),
    ...(options.sharedScopeName !== undefined ? { sharedScopeName: options.sharedScopeName } : {}),
    ...(options.audience !== undefined ? { audienceClientId: options.audience } : {}),
    ...(options.customAudience !== undefined ? { customAudience: options.customAudience } : {}),
  };
  return { clientIds, options: planOptions };
}

/** `fix --plan`: reads the realm, plans, writes the plan file, then prints the changes. */
export async function runPlan(options: PlanCommand, io: Io): Promise<number> {
  const { url } = options.connection;
  // A file that cannot be used ends the run before anything is asked of Keycloak.
  const files: RequirementsFiles = {
    requirements: options.requirementsFile ? readRequirementsFile(io.fs, options.requirementsFile) : undefined,
    callers: options.callersFile ? readCallersFile(io.fs, options.callersFile) : undefined,
  };
  const session = await openSession(options.connection);
  const state = await readRealm(session, options.realm);
  if (options.clientIds) checkClientsExist(state, options.clientIds, '--client');
  if (options.audience !== undefined) checkClientsExist(state, [options.audience], '--audience');
  if (options.customAudience !== undefined) checkNoClient(state, options.customAudience);
  const request =
    options.strategy === 'requirements'
      ? requirementsRequest(options, files)
      : requestOf(options, options.clientIds ?? missingClients(state));
  const plan = session.plan(state, request);

  if (plan.requiresConsent && !options.acceptCrossTrust) {
    io.err(
      [
        `error: --strategy shared-scope puts ${plan.fixes.length} clients into one scope, so their services accept each other's access tokens:`,
        ...acceptanceLines(plan.crossAcceptance).map((line) => `  - ${line}`),
        'Give --accept-cross-trust to agree to that (the plan file records it), or choose another strategy. No plan file was written.',
        '',
      ].join('\n'),
    );
    return FIX_EXIT.cannotRun;
  }

  const file = buildPlanFile(plan, { keycloakUrl: url, crossTrustAccepted: options.acceptCrossTrust });
  try {
    writeAtomically(io.fs, options.planFile, planFileText(file));
  } catch (error) {
    throw new CliFailure(`cannot write the plan file ${options.planFile}: ${fileProblem(error)}`);
  }

  const printed = planOutput(plan, options.format, url, session.predict(state, plan).after);
  io.out(printed.out);
  const next =
    plan.steps.length > 0
      ? `Plan written to ${options.planFile}. After review, apply it with: audience-doctor fix --apply ${shellWord(options.planFile)} --url ${shellWord(url)}`
      : `Plan written to ${options.planFile}; it has no changes.`;
  const tail = [...printed.err, next];
  if (options.format === 'human') io.out(`\n${next}\n`);
  else io.err(`${tail.join('\n')}\n`);
  return planExitCode(plan);
}
