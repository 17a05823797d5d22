import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { interruptedRuns } from './active-runs.ts';
import { journalFile, newJournal, parseJournal, type RunJournal, stepsToUndo } from './journal.ts';
import { localJournalStore } from './journal-store.ts';
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

/**
 * Storage backed by a Map: what localStorage does, without a browser, with the browser's quota on keys plus
 * values (in characters) and its error when a write would pass it.
 */
function memoryStorage(quota = Number.POSITIVE_INFINITY): Storage {
  const items = new Map<string, string>();
  const size = () => [...items].reduce((sum, [key, value]) => sum + key.length + value.length, 0);
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
      const after =
        size() - (items.has(key) ? key.length + (items.get(key)?.length ?? 0) : 0) + key.length + value.length;
      if (after > quota)
        throw new DOMException(`Setting the value of '${key}' exceeded the quota.`, 'QuotaExceededError');
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
    store.save({ ...newJournal({ ...plan, runId: 'run-2' }, 'http://kc'), state: 'rolled-back' });
    expect(store.list().map((item) => [item.runId, item.state])).toEqual([
      ['run-2', 'rolled-back'],
      ['run-1', 'applied'],
    ]);
    expect(other.list()).toEqual([]);
    store.remove('run-2');
    expect(store.list().map((item) => item.runId)).toEqual(['run-1']);
  });

  it('never drops a journal to make room, and survives unreadable content', () => {
    const storage = memoryStorage();
    const store = localJournalStore('http://kc', 'demo', storage);
    for (let index = 0; index < 25; index++) store.save(newJournal({ ...plan, runId: `run-${index}` }, 'http://kc'));
    expect(store.list()).toHaveLength(25);
    expect(store.list()[0]?.runId).toBe('run-24');
    storage.setItem('audience-doctor.runs:http://kc:demo', '{not json');
    expect(store.list()).toEqual([]);
  });

  it('clears a finished journal, never one of an unfinished run', () => {
    const store = localJournalStore('http://kc', 'demo', memoryStorage());
    const running = newJournal(plan, 'http://kc');
    store.save(running);
    store.save({ ...running, runId: 'run-2', state: 'interrupted' });
    store.save({ ...running, runId: 'run-3', state: 'rolled-back' });
    expect(() => store.remove('run-1')).toThrow('Run run-1 has not finished: roll it back or resume it');
    expect(() => store.remove('run-2')).toThrow('Run run-2 has not finished');
    store.remove('run-3');
    expect(store.list().map((item) => item.runId)).toEqual(['run-2', 'run-1']);
  });

  it('a save that passes the quota throws a sentence and leaves the stored journals as they were', () => {
    const storage = memoryStorage(3000);
    const store = localJournalStore('http://kc', 'demo', storage, 3000);
    const journal = newJournal(plan, 'http://kc');
    store.save(journal);
    const before = storage.getItem('audience-doctor.runs:http://kc:demo');
    expect(() => store.save({ ...journal, message: 'x'.repeat(3000) })).toThrow(
      /^This browser's storage is full: the journals of realm demo \(\d+ kB with run run-1\) no longer fit in its 3 kB\.$/,
    );
    expect(storage.getItem('audience-doctor.runs:http://kc:demo')).toBe(before);
    expect(store.list()).toEqual([{ ...journal, updatedAt: expect.any(String) }]);
  });

  it('tells a run whose finished journal would not fit, counting what other keys use', () => {
    const finished = (journal: RunJournal): RunJournal => ({
      ...journal,
      state: 'applied',
      message: 'Applied 4 steps for 2 clients.',
      steps: journal.steps.map((step) => ({
        ...step,
        status: 'written',
        at: new Date().toISOString(),
        ...(step.write.kind === 'create-scope' ? { createdId: crypto.randomUUID() } : {}),
      })),
    });
    const room = localJournalStore('http://kc', 'demo', memoryStorage()).room(plan);
    const quota = room.needed + 'audience-doctor.runs:http://kc:demo'.length + 2 + 500;
    // Just enough: the whole run's saves go through.
    const storage = memoryStorage(quota);
    storage.setItem('other-app-data', 'x'.repeat(500 - 'other-app-data'.length));
    const store = localJournalStore('http://kc', 'demo', storage, quota);
    expect(store.room(plan)).toMatchObject({ fits: true, left: room.needed, used: 500 });
    store.save(newJournal(plan, 'http://kc'));
    store.save(finished(newJournal(plan, 'http://kc')));
    // One character more elsewhere, and the next run is refused before it starts.
    storage.setItem('other-app-data', 'x'.repeat(501 - 'other-app-data'.length));
    storage.removeItem('audience-doctor.runs:http://kc:demo');
    expect(store.room({ ...plan, runId: 'run-2' })).toMatchObject({ fits: false, left: room.needed - 1 });
  });

  it('reports what the journals of this realm and of others use', () => {
    const storage = memoryStorage();
    storage.setItem('audience-doctor.runs:http://kc:other', '[1]');
    storage.setItem('unrelated', 'abc');
    const store = localJournalStore('http://kc', 'demo', storage, 1000);
    expect(store.usage()).toEqual({ realm: 0, otherJournals: 39, used: 51, quota: 1000 });
    store.save(newJournal(plan, 'http://kc'));
    const own = storage.getItem('audience-doctor.runs:http://kc:demo')?.length ?? 0;
    expect(store.usage()).toMatchObject({ realm: 35 + own, otherJournals: 39 });
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
