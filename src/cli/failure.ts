import { ApiError } from '../keycloak/errors.ts';

/** Why the audit could not run, as one line without any secret; exit code 2. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

interface HttpFailure {
  response?: { status?: unknown };
  responseData?: unknown;
}

/** What Keycloak said: "invalid_grant (Invalid user credentials)", or its errorMessage. */
export function keycloakReason(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim().split('\n')[0]?.slice(0, 200) || undefined;
  if (!data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' && record[key] ? (record[key] as string) : undefined);
  const error = text('error');
  const description = text('error_description');
  if (error && description) return `${error} (${description})`;
  return error ?? description ?? text('errorMessage');
}

/** A fetch that got no answer: undici's TypeError names the cause (ECONNREFUSED, ENOTFOUND, …). */
export function networkCause(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error.message;
}

/** A failed token request, explained for the one-line error. */
export function signInFailure(error: unknown, url: string, realm: string): CliFailure {
  const prefix = `cannot sign in to realm ${realm} at ${url}`;
  const cause = networkCause(error);
  if (cause) return new CliFailure(`cannot reach Keycloak at ${url}: ${cause}`);
  const status = (error as HttpFailure | null)?.response?.status;
  if (typeof status === 'number') {
    const reason = keycloakReason((error as HttpFailure).responseData);
    // 24.x and 25.x add an error_description to the realm's 404; the error itself is the same.
    const data = (error as HttpFailure).responseData as { error?: unknown } | undefined;
    const realmMissing = data?.error === 'Realm does not exist' || reason === 'Realm does not exist';
    if (status === 404 && !realmMissing) {
      return new CliFailure(
        `${prefix}: no token endpoint there (HTTP 404); is --url the Keycloak base URL (with /auth for old servers)?`,
      );
    }
    if (realmMissing) return new CliFailure(`${prefix}: Realm does not exist`);
    return new CliFailure(`${prefix}: ${reason ?? `HTTP ${status}`}`);
  }
  if (error instanceof SyntaxError) {
    return new CliFailure(`${prefix}: the answer was not JSON; is --url the Keycloak base URL?`);
  }
  return new CliFailure(`${prefix}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Any other failure as one line; ApiError already carries a human message. */
export function describeFailure(error: unknown, url: string): string {
  if (error instanceof CliFailure) return error.message;
  if (error instanceof ApiError && error.kind === 'network') return `cannot reach Keycloak at ${url}`;
  const cause = networkCause(error);
  if (cause) return `cannot reach Keycloak at ${url}: ${cause}`;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
