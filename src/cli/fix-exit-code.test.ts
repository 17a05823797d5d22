import { describe, expect, it } from 'vitest';
import type { ClientProof } from '../remediation/verify.ts';
import { applyExitCode, FIX_EXIT, lackingProofs, undoExitCode } from './fix-exit-code.ts';

const proof = (clientId: string, expectedInToken: boolean | undefined): ClientProof => ({
  clientId,
  verdict: 'ok',
  judge: 'example token',
  user: `service account of ${clientId}`,
  aud: expectedInToken ? [clientId] : [],
  expected: clientId,
  expectedInToken,
  problem: expectedInToken === undefined ? 'No user to generate a token for.' : undefined,
});

describe('exit codes of fix', () => {
  it('are 0 to 5, as documented', () => {
    expect(FIX_EXIT).toEqual({ ok: 0, changes: 1, cannotRun: 2, stale: 3, rolledBack: 4, leftBehind: 5 });
  });

  it('say an applied run is done only when no token lacks its audience', () => {
    expect(applyExitCode({ status: 'applied' }, [proof('a', true), proof('b', true)])).toBe(0);
    expect(applyExitCode({ status: 'applied' }, [proof('a', true), proof('b', false)])).toBe(5);
    // No token could be generated: unverified, which is said, but not a failed run.
    expect(applyExitCode({ status: 'applied' }, [proof('a', undefined)])).toBe(0);
    expect(lackingProofs([proof('a', true), proof('b', false), proof('c', undefined)]).map((p) => p.clientId)).toEqual([
      'b',
    ]);
  });

  it.each([
    ['nothing-to-do', undefined, 0],
    ['changed', undefined, 3],
    ['refused', undefined, 2],
    ['failed', undefined, 2],
    ['failed', { undone: ['x'], left: [] }, 4],
    ['failed', { undone: [], left: [{ what: 'x', reason: 'HTTP 500' }] }, 5],
    ['cancelled', { undone: ['x'], left: [] }, 4],
    ['cancelled', { undone: [], left: [{ what: 'x', reason: 'HTTP 500' }] }, 5],
  ] as const)('%s with roll-back %j: %i', (status, rollback, code) => {
    expect(
      applyExitCode({ status, rollback: rollback && { undone: [...rollback.undone], left: [...rollback.left] } }),
    ).toBe(code);
  });

  it.each([
    ['undone', 0],
    ['nothing-to-undo', 0],
    ['refused', 3],
    ['partly-undone', 5],
  ] as const)('undo %s: %i', (status, code) => {
    expect(undoExitCode({ status })).toBe(code);
  });
});
