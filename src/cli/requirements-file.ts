import { parseRequirementsFile } from '../audit/index.ts';
import type { RequirementLists } from '../audit/requirements.ts';
import { UsageError } from './connection-options.ts';
import { fileProblem, readText, type SyncFs } from './files.ts';

/**
 * The --requirements file (JSON: clientId → array of audiences), read before anything is asked of Keycloak:
 * a file that cannot be used ends the run with one line that says why.
 */
export function readRequirementsFile(fs: SyncFs, path: string, flag = '--requirements'): Map<string, string[] | null> {
  let text: string | undefined;
  try {
    text = readText(fs, path);
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${fileProblem(error)}`);
  }
  if (text === undefined) throw new UsageError(`${flag} ${path}: no such file`);
  const parsed = parseRequirementsFile(text);
  if (!parsed.ok) {
    const example =
      flag === '--callers'
        ? '{"orders-api": ["spa", "batch"]}'
        : '{"spa": ["orders-api"], "batch": [], "old-app": null}';
    throw new UsageError(`${flag} ${path}: ${parsed.why}. Expected a JSON object such as ${example}.`);
  }
  return parsed.requirements;
}

/** The --callers file (JSON: API clientId → the clients whose tokens must carry it), read the same way. */
export const readCallersFile = (fs: SyncFs, path: string) => readRequirementsFile(fs, path, '--callers');

/** The file's clients that none of the audited realms reported: a typo, or a client deleted since. */
export function unknownRequirementClients(
  requirements: RequirementLists,
  reported: { clients: { clientId: string }[] }[],
): string[] {
  const known = new Set(reported.flatMap((report) => report.clients.map((client) => client.clientId)));
  return [...requirements.keys()].filter((clientId) => !known.has(clientId));
}
