import { describe, expect, it } from 'vitest';

describe('journal validation under a strict CSP', () => {
  it('never compiles code: script-src without unsafe-eval reports even a refused new Function', async () => {
    const original = globalThis.Function;
    const calls: string[] = [];
    globalThis.Function = new Proxy(original, {
      construct(target, args) {
        calls.push('new Function');
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        calls.push('Function()');
        return Reflect.apply(target, self, args);
      },
    });
    try {
      // Imported only now, so that nothing has probed before the trap is set.
      const { parseJournal } = await import('./journal-schema.ts');
      expect(parseJournal({ runId: 'r' })).toHaveProperty('problem');
      const journal = {
        runId: 'r',
        keycloakUrl: 'http://localhost:8080',
        realm: 'demo',
        strategy: 'dedicated-mapper',
        fixes: [],
        startedAt: '2026-12-02T00:00:00.000Z',
        updatedAt: '2026-12-02T00:00:00.000Z',
        state: 'applied',
        request: { clientIds: [], options: { strategy: 'dedicated-mapper', runId: 'r' } },
        steps: [],
      };
      expect(parseJournal(journal)).toEqual({ journal });
    } finally {
      globalThis.Function = original;
    }
    expect(calls).toEqual([]);
  });
});
