import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { repoRoot } from '../keycloak/settings.ts';

/**
 * The SARIF 2.1.0 JSON schema (its rtm.5 revision, JSON Schema draft-04), as shipped in the npm package
 * @microsoft/jest-sarif 1.0.0-beta.0 at lib/schemas/sarif-2.1.0-rtm.5.json; only reformatted.
 */
const SCHEMA_FILE = join(repoRoot, 'e2e', 'support', 'cli-sarif-schema-2.1.0-rtm.5.json');

let validator: (((log: unknown) => boolean) & { errors?: unknown }) | undefined;

/** The schema's complaints about a SARIF log, or [] when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validator) {
    // The schema's patterns are not all valid with the u flag, which Ajv adds by default.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  }
  if (validator(log)) return [];
  return ((validator.errors ?? []) as { instancePath: string; message?: string }[]).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''}`,
  );
}
