import { describe, expect, it } from 'vitest';
import { summarizeClient } from './clients.ts';

describe('summarizeClient', () => {
  it('keeps what the list shows and drops the secret', () => {
    const summary = summarizeClient({
      id: 'c0ffee',
      clientId: 'orders-web',
      name: 'Orders',
      protocol: 'openid-connect',
      publicClient: false,
      enabled: true,
      secret: 's3cr3t',
    });
    expect(summary).toEqual({
      id: 'c0ffee',
      clientId: 'orders-web',
      name: 'Orders',
      protocol: 'openid-connect',
      type: 'confidential',
      enabled: true,
    });
    expect(JSON.stringify(summary)).not.toContain('s3cr3t');
  });

  it.each([
    [{ publicClient: true }, 'public'],
    [{ publicClient: false }, 'confidential'],
    [{ bearerOnly: true, publicClient: false }, 'bearer-only'],
  ] as const)('tells the client type of %o', (flags, type) => {
    expect(summarizeClient({ clientId: 'x', ...flags }).type).toBe(type);
  });

  it('treats a missing enabled flag as enabled and an empty name as none', () => {
    const summary = summarizeClient({ clientId: 'x', name: '' });
    expect(summary.enabled).toBe(true);
    expect(summary.name).toBeUndefined();
  });

  it('shows no name for the message keys of built-in clients', () => {
    expect(summarizeClient({ clientId: 'account', name: '${client_account}' }).name).toBeUndefined();
    expect(summarizeClient({ clientId: 'x', name: 'Costs in ${currency}' }).name).toBe('Costs in ${currency}');
  });
});
