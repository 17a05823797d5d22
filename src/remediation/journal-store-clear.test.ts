import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { memoryJournalStore, newJournal, parseJournal, type RunState } from './journal.ts';
import { clearableJournals, clearQuestion, journalDownload, removeJournals } from './journal-store.ts';
import { planFix } from './plan.ts';

const snapshot: RealmSnapshot = {
  realm: 'demo',
  keycloakVersion: undefined,
  clients: [clientRepFixture('orders-web')],
  clientScopes: [],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};
const plan = planFix(snapshot, auditRealm(snapshot), ['orders-web'], { strategy: 'client-scope', runId: 'run-1' });
const journal = (runId: string, state: RunState) => ({ ...newJournal({ ...plan, runId }, 'http://kc'), state });

describe('clearableJournals', () => {
  it('offers finished runs only: never one running in this page, left running or interrupted', () => {
    const journals = [
      journal('applied', 'applied'),
      journal('undone', 'undone'),
      journal('rolled-back', 'rolled-back'),
      journal('partly', 'partly-rolled-back'),
      journal('resumed', 'resumed'),
      journal('left-running', 'running'),
      journal('interrupted', 'interrupted'),
      journal('applied-here', 'applied'),
    ];
    expect(clearableJournals(journals, new Set(['applied-here'])).map((item) => item.runId)).toEqual([
      'applied',
      'undone',
      'rolled-back',
      'partly',
      'resumed',
    ]);
  });
});

describe('clearQuestion', () => {
  it('asks for one journal by its run, and offers its download', () => {
    expect(clearQuestion([journal('run-7', 'applied')], 'demo')).toMatchObject({
      title: 'Clear the journal of run run-7?',
      downloadLabel: 'Download journal',
      confirmLabel: 'Clear journal',
      text: expect.stringMatching(/^This browser then forgets the run \(\d+ kB\).*audience-doctor fix --undo/),
    });
  });

  it('asks for several by their count and size', () => {
    expect(clearQuestion([journal('a', 'applied'), journal('b', 'undone')], 'demo')).toMatchObject({
      title: 'Clear 2 finished runs?',
      downloadLabel: 'Download 2 journals',
      confirmLabel: 'Clear 2 journals',
      text: expect.stringMatching(/^The journals of 2 finished runs of realm demo take \d+ kB\./),
    });
  });
});

describe('journalDownload', () => {
  it('is the journal file the CLI reads back', () => {
    const file = journalDownload(journal('run-7', 'applied'));
    expect(file.fileName).toBe('audience-doctor-run-run-7.json');
    expect(parseJournal(JSON.parse(file.content))).toHaveProperty('journal.runId', 'run-7');
  });
});

describe('removeJournals', () => {
  it('removes every journal it is given and reports nothing', () => {
    const store = memoryJournalStore();
    for (const runId of ['a', 'b', 'c']) store.save(journal(runId, 'applied'));
    expect(removeJournals(store, [journal('a', 'applied'), journal('b', 'applied')])).toBeUndefined();
    expect(store.list().map((kept) => kept.runId)).toEqual(['c']);
  });

  it('says why when the store refuses one, keeping what it did not remove', () => {
    const store = memoryJournalStore();
    store.save(journal('a', 'applied'));
    const refusing = {
      ...store,
      remove: (runId: string) => {
        if (runId === 'a') throw new Error('run a is unfinished');
        store.remove(runId);
      },
    };
    expect(removeJournals(refusing, [journal('a', 'applied')])).toBe('run a is unfinished');
    expect(store.list()).toHaveLength(1);
  });
});
