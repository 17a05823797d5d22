import { describe, expect, it } from 'vitest';
import type { ClientAudit, ContainerRef } from './findings.ts';
import { clientAuditFixture } from './test-fixtures.ts';
import { checkToken } from './verification.ts';

const container = (applies: ContainerRef['applies'], name = 'app-audience'): ContainerRef => ({
  type: 'scope',
  name,
  id: `id-${name}`,
  attachment: applies === 'optional' ? 'optional' : 'default',
  applies,
});

const audit = (partial: Partial<ClientAudit>): ClientAudit => clientAuditFixture('app', { id: 'u', ...partial });

describe('checkToken', () => {
  it('agrees when an ok client finds itself in aud', () => {
    expect(checkToken(audit({ verdict: 'ok', audiences: ['app'] }), ['app', 'account'])).toEqual({
      ownInToken: true,
      predicted: true,
      agrees: true,
    });
  });

  it('disagrees when a missing client shows up in aud', () => {
    expect(checkToken(audit({ verdict: 'missing' }), ['app']).agrees).toBe(false);
  });

  it('counts an optional scope only when it was requested', () => {
    const conditional = audit({
      verdict: 'conditional',
      conditionalAudiences: [{ value: 'app', container: container('optional') }],
    });
    expect(checkToken(conditional, []).predicted).toBe(false);
    expect(checkToken(conditional, [], ['app-audience']).predicted).toBe(true);
  });

  it('makes no prediction where the user roles decide, or for unpredictable clients', () => {
    const restricted = audit({
      verdict: 'conditional',
      conditionalAudiences: [{ value: 'app', container: container('role-restricted') }],
    });
    expect(checkToken(restricted, ['app']).agrees).toBeUndefined();
    expect(checkToken(audit({ verdict: 'unpredictable' }), ['app']).agrees).toBeUndefined();
  });
});
