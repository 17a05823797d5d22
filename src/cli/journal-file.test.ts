import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { newJournal } from '../remediation/journal.ts';
import { planFix } from '../remediation/plan.ts';
import type { SyncFs } from './files.ts';
import { fileJournalStore, journalText, mayHoldWrites, readJournalFile } from './journal-file.ts';

const snapshot: RealmSnapshot = {
  realm: 'demo',
  keycloakVersion: undefined,
  clients: [clientRepFixture('orders-web')],
  clientScopes: [],
  mapperTypes: undefined,
  scopeRoleRestrictions: {},
  clientPolicies: undefined,
};
const plan = planFix(snapshot, auditRealm(snapshot), ['orders-web'], { strategy: 'client-scope', runId: 'run-3' });
const journal = () => newJournal(plan, 'https://kc.example.com', new Date('2026-11-30T10:00:00Z'));

const failure = (code: string) => Object.assign(new Error(code), { code });

/** Files in a Map, with every call logged: enough of fs to watch the order of writes. */
function memoryFs(options: { failWrites?: boolean } = {}) {
  const files = new Map<string, string>();
  const calls: string[] = [];
  const fs: SyncFs = {
    readFileSync(path) {
      const text = files.get(path);
      if (text === undefined) throw failure('ENOENT');
      return text;
    },
    writeFileSync(path, data, { flag }) {
      calls.push(`write ${path}`);
      if (options.failWrites) throw failure('ENOSPC');
      if (flag === 'wx' && files.has(path)) throw failure('EEXIST');
      files.set(path, data);
    },
    renameSync(from, to) {
      calls.push(`rename ${from} -> ${to}`);
      files.set(to, files.get(from) as string);
      files.delete(from);
    },
    rmSync(path) {
      calls.push(`rm ${path}`);
      files.delete(path);
    },
  };
  return { fs, files, calls };
}

describe('the journal file', () => {
  it('is replaced through a new file in the same folder, renamed over it', () => {
    const { fs, files, calls } = memoryFs();
    const store = fileJournalStore(fs, 'runs/fix.journal.json');
    store.save(journal());
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^write runs\/fix\.journal\.json\.[a-z0-9-]+\.tmp$/);
    expect(calls[1]).toBe(`rename ${calls[0]?.slice('write '.length)} -> runs/fix.journal.json`);
    expect([...files.keys()]).toEqual(['runs/fix.journal.json']);
  });

  it('reads back each save, with the time of the save', () => {
    const { fs } = memoryFs();
    const store = fileJournalStore(fs, 'fix.journal.json');
    const run = journal();
    store.save(run);
    (run.steps[0] as { status: string }).status = 'written';
    store.save(run);
    const read = readJournalFile(fs, 'fix.journal.json');
    if (!('journal' in read)) throw new Error('expected a journal');
    expect(read.journal.steps[0]?.status).toBe('written');
    expect(read.journal.updatedAt).not.toBe(run.updatedAt);
    expect(store.list().map((item) => item.runId)).toEqual(['run-3']);
    expect(mayHoldWrites(read.journal)).toBe(true);
  });

  it('reads a journal written as the dashboard keeps it', () => {
    const { fs, files } = memoryFs();
    files.set('download.json', JSON.stringify(journal()));
    const read = readJournalFile(fs, 'download.json');
    expect('journal' in read && read.journal.runId).toBe('run-3');
    expect('journal' in read && mayHoldWrites(read.journal)).toBe(false);
  });

  it('tells a missing file from one that is no journal', () => {
    const { fs, files } = memoryFs();
    expect(readJournalFile(fs, 'none.json')).toEqual({ missing: true });
    files.set('notes.txt', 'hello');
    expect(readJournalFile(fs, 'notes.txt')).toEqual({
      problem: 'notes.txt is not JSON, so not a run journal of Audience Doctor',
    });
    files.set('other.json', journalText({ ...journal(), state: 'exploded' as never }));
    const read = readJournalFile(fs, 'other.json');
    expect('problem' in read && read.problem).toMatch(/^other\.json: Not a run journal of Audience Doctor at state/);
  });

  it('reports a save that fails once, without throwing into the run, and leaves no temporary file', () => {
    const { fs, files, calls } = memoryFs({ failWrites: true });
    const reasons: string[] = [];
    const store = fileJournalStore(fs, 'fix.journal.json', (reason) => reasons.push(reason));
    store.save(journal());
    store.save(journal());
    expect(reasons).toEqual(['ENOSPC']);
    expect(store.failure).toBe('ENOSPC');
    expect(files.size).toBe(0);
    expect(calls.filter((call) => call.startsWith('rm '))).toHaveLength(2);
  });

  it('is removed only for its own run', () => {
    const { fs, files } = memoryFs();
    const store = fileJournalStore(fs, 'fix.journal.json');
    store.save(journal());
    store.remove('another-run');
    expect(files.has('fix.journal.json')).toBe(true);
    store.remove('run-3');
    expect(files.has('fix.journal.json')).toBe(false);
  });
});
