export type ApiErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'network'
  | 'server'
  | 'unknown';

/** An admin-API failure as a value with a human message; never a raw response or stack. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | undefined;

  constructor(kind: ApiErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
  }
}

function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 400) return 'invalid';
  if (status >= 500) return 'server';
  return 'unknown';
}

/** What the admin can do about it, for the kinds where that is clear from the status alone. */
const NEXT_STEP: Partial<Record<ApiErrorKind, string>> = {
  unauthorized: 'The session has ended or was revoked: sign in again.',
  forbidden:
    'The signed-in account lacks the admin role this needs (view-clients to read, view-users for users, manage-clients to change): ask an administrator for it, then sign in again.',
  'not-found': 'It no longer exists (deleted meanwhile?): read the realm again before changing it.',
  conflict: 'Something of that name exists already (made meanwhile?): read the realm again before retrying.',
  server: 'Keycloak failed on its side: try again, and see the Keycloak server log if it keeps failing.',
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The page's origin in a browser (what the Web origins must list); undefined in Node. */
const pageOrigin = () => (typeof location === 'undefined' ? undefined : location.origin);

/** Keycloak puts its reason in `errorMessage`, `error_description` or `error`. */
function serverMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() || undefined;
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const key of ['errorMessage', 'error_description', 'error']) {
      const value = record[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  return undefined;
}

/**
 * Turns what the admin client throws into an ApiError: its NetworkError carries `response`
 * and `responseData`; a fetch that never got an answer (network down, CORS refused) is a TypeError.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const candidate = error as { response?: { status?: unknown }; responseData?: unknown; message?: unknown } | null;
  const status = candidate?.response?.status;
  if (typeof status === 'number') {
    const reason = serverMessage(candidate?.responseData);
    const kind = kindOfStatus(status);
    const answer = reason ? `Keycloak answered HTTP ${status}: ${reason}` : `Keycloak answered HTTP ${status}`;
    const next = NEXT_STEP[kind];
    return new ApiError(kind, next ? `${sentence(answer)} ${next}` : answer, status);
  }
  if (error instanceof TypeError) {
    // Keycloak also answers a token it no longer accepts (session ended, realm deleted) without CORS headers.
    return new ApiError(
      'network',
      `Keycloak could not be reached, refused this page's origin, or no longer accepts this session. Reload the page: it checks the server and signs in again. If Keycloak is running, check that the Web origins of the dashboard's client list ${pageOrigin() ?? "this page's origin"}.`,
    );
  }
  return new ApiError('unknown', describeUnknown(error));
}

function describeUnknown(error: unknown): string {
  if (typeof error === 'string' && error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message) return message;
  try {
    return `Unexpected error: ${JSON.stringify(error)}`;
  } catch {
    return 'Unexpected error';
  }
}

/** What the signed-in session does when the Admin API refuses its token. */
export interface SessionRecovery {
  /**
   * A new token now: true when there is one to retry with; false when Keycloak could not be asked.
   * Signs in again when Keycloak says the session is gone.
   */
  renewToken(): Promise<boolean>;
  /** Leaves for the login page; throws while sign-in is held. */
  signInAgain(): Promise<void>;
}

let recovery: SessionRecovery | undefined;

/** The page's one signed-in session registers here; without one (the CLI) a 401 fails at once. */
export function recoverSessionWith(session: SessionRecovery | undefined): void {
  recovery = session;
}

/** A recovery step that failed (sign-in held, say) ends the call as a 401 with its reason. */
async function recoveryStep<T>(step: () => Promise<T>, failure: ApiError): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ApiError('unauthorized', describeUnknown(error), failure.status);
  }
}

/**
 * Wraps an admin call so that callers only ever see ApiError. A 401 gets one retry with a new token,
 * then sign-in: Keycloak refused the request before doing anything. Cross-origin, Keycloak sends its
 * 401 without CORS headers and the browser reports a failed fetch; that only renews the token, which
 * signs in again if the session is gone, and is not retried: a write may have reached Keycloak.
 */
export async function adminCall<T>(call: () => Promise<T>): Promise<T> {
  let failure: ApiError;
  try {
    return await call();
  } catch (error) {
    failure = toApiError(error);
  }
  const session = recovery;
  if (!session || (failure.kind !== 'unauthorized' && failure.kind !== 'network')) throw failure;
  const renewed = await recoveryStep(() => session.renewToken(), failure);
  if (!renewed || failure.kind === 'network') throw failure;
  try {
    return await call();
  } catch (error) {
    const again = toApiError(error);
    if (again.kind === 'unauthorized') await recoveryStep(() => session.signInAgain(), again);
    throw again;
  }
}

/**
 * Reads that need a role the admin may lack: undefined when refused, so the audit can say what it did not
 * check. Keycloak answers some refusals without CORS headers, which a browser reports as a network failure.
 */
export async function unlessRefused<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await adminCall(call);
  } catch (error) {
    if (error instanceof ApiError && (error.kind === 'forbidden' || error.kind === 'network')) return undefined;
    throw error;
  }
}
