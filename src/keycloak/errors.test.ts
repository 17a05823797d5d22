import { describe, expect, it } from 'vitest';
import { ApiError, adminCall, toApiError } from './errors.ts';

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
    expect(error.message).toBe('Keycloak answered HTTP 409: Client Scope billing already exists');
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
