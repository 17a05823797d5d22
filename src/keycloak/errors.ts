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
    const message = reason ? `Keycloak answered HTTP ${status}: ${reason}` : `Keycloak answered HTTP ${status}`;
    return new ApiError(kindOfStatus(status), message, status);
  }
  if (error instanceof TypeError) {
    return new ApiError(
      'network',
      "Keycloak could not be reached, or refused this page's origin (check the client's Web origins)",
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

/** Wraps an admin call so that callers only ever see ApiError. */
export async function adminCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}
