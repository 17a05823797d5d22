import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { interruptedRuns } from './active-runs.ts';
import { journalFile, localJournalStore, newJournal, parseJournal, type RunJournal, stepsToUndo } from './journal.ts';
import { planFix } from './plan.ts';

const snapshot: RealmSnapshot = {
  realm: 'demo',
  keycloakVersion: undefined,
  clients: [clientRepFixture('orders-web'), clientRepFixture('shop-spa')],
  clientScopes: [],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};

const plan = planFix(snapshot, auditRealm(snapshot), ['orders-web', 'shop-spa'], {
  strategy: 'client-scope',
  runId: 'run-1',
});

/** Storage backed by a Map: what localStorage does, without a browser. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => {
      items.delete(key);
    },
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

describe('newJournal', () => {
  it('records every step as pending, with its undo, and the request to plan again', () => {
    const journal = newJournal(plan, 'http://localhost:8080', new Date('2026-11-25T10:00:00Z'));
    expect(journal).toMatchObject({
      runId: 'run-1',
      keycloakUrl: 'http://localhost:8080',
      realm: 'demo',
      strategy: 'client-scope',
      fixes: ['orders-web', 'shop-spa'],
      startedAt: '2026-11-25T10:00:00.000Z',
      state: 'running',
      request: { clientIds: ['orders-web', 'shop-spa'] },
    });
    expect(journal.steps.map((step) => [step.write.kind, step.undo.kind, step.status])).toEqual([
      ['create-scope', 'delete-scope', 'pending'],
      ['attach-default-scope', 'detach-default-scope', 'pending'],
      ['create-scope', 'delete-scope', 'pending'],
      ['attach-default-scope', 'detach-default-scope', 'pending'],
    ]);
  });
});

describe('stepsToUndo', () => {
  it('returns what may be in Keycloak, latest first, and leaves pending and undone steps out', () => {
    const journal = newJournal(plan, '');
    const mark = (index: number, status: RunJournal['steps'][number]['status'], at: string) =>
      Object.assign(journal.steps[index] ?? {}, { status, at });
    mark(0, 'written', '2026-11-25T10:00:01Z');
    mark(1, 'writing', '2026-11-25T10:00:03Z');
    mark(2, 'written', '2026-11-25T10:00:02Z');
    mark(3, 'undone', '2026-11-25T10:00:04Z');
    expect(stepsToUndo(journal).map((step) => step.index)).toEqual([1, 2, 0]);
  });
});

describe('interruptedRuns', () => {
  it('counts a journal left running as interrupted unless its run is active in this page', () => {
    const running = newJournal(plan, '');
    const applied = { ...newJournal({ ...plan, runId: 'run-2' }, ''), state: 'applied' as const };
    expect(interruptedRuns([running, applied], new Set()).map((journal) => journal.runId)).toEqual(['run-1']);
    expect(interruptedRuns([running, applied], new Set(['run-1']))).toEqual([]);
  });
});

describe('localJournalStore', () => {
  it('keeps one copy per run, newest first, apart per Keycloak and realm', () => {
    const storage = memoryStorage();
    const store = localJournalStore('http://kc', 'demo', storage);
    const other = localJournalStore('http://kc', 'demo-2', storage);
    const journal = newJournal(plan, 'http://kc');
    store.save(journal);
    store.save({ ...journal, state: 'applied' });
    store.save(newJournal({ ...plan, runId: 'run-2' }, 'http://kc'));
    expect(store.list().map((item) => [item.runId, item.state])).toEqual([
      ['run-2', 'running'],
      ['run-1', 'applied'],
    ]);
    expect(other.list()).toEqual([]);
    store.remove('run-2');
    expect(store.list().map((item) => item.runId)).toEqual(['run-1']);
  });

  it('keeps the newest 20 runs and survives unreadable content', () => {
    const storage = memoryStorage();
    const store = localJournalStore('http://kc', 'demo', storage);
    for (let index = 0; index < 25; index++) store.save(newJournal({ ...plan, runId: `run-${index}` }, 'http://kc'));
    expect(store.list()).toHaveLength(20);
    expect(store.list()[0]?.runId).toBe('run-24');
    storage.setItem('audience-doctor.runs:http://kc:demo', '{not json');
    expect(store.list()).toEqual([]);
  });

  it('stores names, ids and representations only', () => {
    const storage = memoryStorage();
    localJournalStore('http://kc', 'demo', storage).save(newJournal(plan, 'http://kc'));
    const text = storage.getItem('audience-doctor.runs:http://kc:demo') ?? '';
    expect(text).toContain('orders-web-audience');
    expect(text).not.toMatch(/token"|secret|eyJ/i);
  });
});

describe('journals are validated on read', () => {
  const journal = newJournal(plan, 'http://localhost:8080');

  it('a journal, and its file, read back as the same journal', () => {
    expect(parseJournal(JSON.parse(JSON.stringify(journal)))).toEqual({ journal });
    expect(parseJournal(JSON.parse(journalFile(journal)))).toEqual({ journal });
  });

  it.each([
    ['not an object', 'a string'],
    ['no steps', { ...journal, steps: undefined }],
    ['an unknown write kind', { ...journal, steps: [{ ...journal.steps[0], write: { kind: 'drop-realm' } }] }],
    ['an unknown state', { ...journal, state: 'done' }],
    ['a step without its undo', { ...journal, steps: [{ ...journal.steps[0], undo: undefined }] }],
  ])('refuses %s, saying what is wrong', (_, value) => {
    const parsed = parseJournal(value);
    expect(parsed).toHaveProperty('problem');
    expect('problem' in parsed && parsed.problem).toMatch(/^Not a run journal of Audience Doctor/);
  });

  it('an entry in storage that is not a journal is kept, but never listed', () => {
    const storage = memoryStorage();
    const key = 'audience-doctor.runs:http://localhost:8080:demo';
    storage.setItem(key, JSON.stringify([{ runId: 'hand-edited', steps: 'oops' }]));
    const store = localJournalStore('http://localhost:8080', 'demo', storage);
    expect(store.list()).toEqual([]);
    store.save(journal);
    expect(store.list().map((item) => item.runId)).toEqual(['run-1']);
    expect(JSON.parse(storage.getItem(key) ?? '[]')).toHaveLength(2);
  });
});
