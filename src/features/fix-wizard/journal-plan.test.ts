import { describe, expect, it } from 'vitest';
import { newJournal } from '../../remediation/journal.ts';
import type { Plan } from '../../remediation/types.ts';
import { planOfJournal } from './journal-plan.ts';

describe('a run plan from its journal', () => {
  it('holds the realm, the request and every write with its undo, as the run was planned', () => {
    const client = { id: 'uuid-spa', clientId: 'spa' };
    const plan: Plan = {
      realm: 'demo',
      runId: 'run-1',
      strategy: 'requirements',
      request: { clientIds: ['spa'], options: { strategy: 'requirements', runId: 'run-1', requirements: { spa: [] } } },
      steps: [
        {
          write: {
            kind: 'set-client-attribute',
            client,
            name: 'audience-doctor.requires',
            value: '[]',
            replaces: null,
          },
          undo: { kind: 'set-client-attribute', client, name: 'audience-doctor.requires', value: null, replaces: '[]' },
          clientIds: ['spa'],
        },
      ],
      fixes: ['spa'],
      skipped: [],
      notes: [],
      crossAcceptance: [],
      requiresConsent: false,
    };
    expect(planOfJournal(newJournal(plan, 'http://localhost:8080'))).toEqual(plan);
  });
});
