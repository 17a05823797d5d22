import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, adminCall, recoverSessionWith, toApiError } from './errors.ts';

const networkError = (status: number, responseData?: unknown) =>
  Object.assign(new Error('Request failed'), { response: { status }, responseData });

describe('toApiError', () => {
  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [409, 'conflict'],
    [400, 'invalid'],
    [503, 'server'],
    [418, 'unknown'],
  ] as const)('maps HTTP %i to %s', (status, kind) => {
    const error = toApiError(networkError(status));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it("uses Keycloak's own reason when it gives one", () => {
    const error = toApiError(networkError(409, { errorMessage: 'Client Scope billing already exists' }));
    expect(error.message).toMatch(/^Keycloak answered HTTP 409: Client Scope billing already exists\. /);
  });

  it.each([
    [401, 'sign in again'],
    [403, 'ask an administrator for it'],
    [404, 'read the realm again'],
    [409, 'read the realm again'],
    [500, 'try again'],
  ])('says what to do after HTTP %i', (status, step) => {
    expect(toApiError(networkError(status)).message).toContain(step);
  });

  it('adds no guess where the status says nothing', () => {
    expect(toApiError(networkError(418)).message).toBe('Keycloak answered HTTP 418');
  });

  it('reads OAuth-style error bodies', () => {
    expect(toApiError(networkError(403, { error: 'unknown_error' })).message).toContain('unknown_error');
  });

  it('treats a failed fetch as a network or CORS problem', () => {
    const error = toApiError(new TypeError('Failed to fetch'));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('Web origins');
  });

  it('never shows [object Object]', () => {
    expect(toApiError({ some: 'thing' }).message).not.toContain('[object Object]');
    expect(toApiError('plain text').message).toBe('plain text');
  });

  it('passes an ApiError through', () => {
    const original = new ApiError('conflict', 'taken', 409);
    expect(toApiError(original)).toBe(original);
  });
});

describe('adminCall', () => {
  it('rethrows failures as ApiError', async () => {
    await expect(adminCall(() => Promise.reject(networkError(403)))).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('returns the result of a successful call', async () => {
    await expect(adminCall(() => Promise.resolve(42))).resolves.toBe(42);
  });
});

describe('adminCall with a signed-in session', () => {
  /** A session whose refresh answers `renewed` (or throws it), recording what it was asked to do. */
  function session(renewed: boolean | Error = true) {
    const recovery = {
      renewToken: vi.fn(async () => {
        if (renewed instanceof Error) throw renewed;
        return renewed;
      }),
      signInAgain: vi.fn(async () => undefined),
    };
    recoverSessionWith(recovery);
    return recovery;
  }

  /** A call that fails with the given failures first, then answers 'ok'. */
  function callFailing(...failures: unknown[]) {
    return vi.fn(async () => {
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return 'ok';
    });
  }

  afterEach(() => recoverSessionWith(undefined));

  it('retries a 401 once with a new token', async () => {
    const recovery = session();
    const call = callFailing(networkError(401));
    await expect(adminCall(call)).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(2);
    expect(recovery.renewToken).toHaveBeenCalledTimes(1);
    expect(recovery.signInAgain).not.toHaveBeenCalled();
  });

  it('signs in again when the new token is refused as well', async () => {
    const recovery = session();
    const call = callFailing(networkError(401), networkError(401));
    await expect(adminCall(call)).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(call).toHaveBeenCalledTimes(2);
    expect(recovery.signInAgain).toHaveBeenCalledTimes(1);
  });

  it('renews the token after a failed fetch, which may be a 401 without CORS headers, but does not retry', async () => {
    const recovery = session();
    const call = callFailing(new TypeError('Failed to fetch'));
    await expect(adminCall(call)).rejects.toMatchObject({ kind: 'network' });
    // A write that failed on the way back may have been done: sending it again could do it twice.
    expect(call).toHaveBeenCalledTimes(1);
    expect(recovery.renewToken).toHaveBeenCalledTimes(1);
    expect(recovery.signInAgain).not.toHaveBeenCalled();
  });

  it('does not retry a 401 when Keycloak could not be asked for a new token', async () => {
    session(false);
    const call = callFailing(networkError(401));
    await expect(adminCall(call)).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('reports why the session could not be recovered, as a 401', async () => {
    session(new Error('the session has ended; sign in again once the run has stopped'));
    const call = callFailing(networkError(401));
    await expect(adminCall(call)).rejects.toMatchObject({
      kind: 'unauthorized',
      status: 401,
      message: 'the session has ended; sign in again once the run has stopped',
    });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it.each([403, 404, 409, 400, 500])('neither refreshes nor retries HTTP %i', async (status) => {
    const recovery = session();
    const call = callFailing(networkError(status));
    await expect(adminCall(call)).rejects.toMatchObject({ status });
    expect(call).toHaveBeenCalledTimes(1);
    expect(recovery.renewToken).not.toHaveBeenCalled();
  });

  it('fails at once without a session, as on the command line', async () => {
    const call = callFailing(networkError(401));
    await expect(adminCall(call)).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(call).toHaveBeenCalledTimes(1);
  });
});
