import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { clientRepFixture } from '../audit/test-fixtures.ts';
import { newJournal, type RunJournal } from './journal.ts';
import {
  estimateJournalChars,
  firstClients,
  formatChars,
  isQuotaError,
  journalRoom,
  roomProblem,
  STORAGE_QUOTA_CHARS,
  storageUsed,
} from './journal-size.ts';
import { planFix } from './plan.ts';
import type { Strategy } from './types.ts';

const URL = 'https://keycloak.example.com';
const uuid = (index: number) => `${index.toString(16).padStart(8, '0')}-1f2e-4a3b-9c8d-7e6f5a4b3c2d`;
const clientIds = (count: number) => Array.from({ length: count }, (_, index) => `orders-service-${index}`);

function realm(count: number): RealmSnapshot {
  return {
    realm: 'big',
    keycloakVersion: undefined,
    clients: clientIds(count).map((clientId, index) => clientRepFixture(clientId, { id: uuid(index) })),
    clientScopes: [],
    mapperTypes: undefined,
    scopeRoleRestrictions: {},
    clientPolicies: undefined,
  };
}

function bulkPlan(count: number, strategy: Strategy = 'client-scope') {
  const snapshot = realm(count);
  return planFix(snapshot, auditRealm(snapshot), clientIds(count), { strategy, runId: 'run-bulk' });
}

/** The journal as the executor leaves it: every step written at its own time, with the id Keycloak gave. */
function journalAfterRun(plan: ReturnType<typeof bulkPlan>, state: RunJournal['state']): RunJournal {
  const journal = newJournal(plan, URL);
  journal.steps.forEach((step, index) => {
    step.status = state === 'applied' ? 'written' : 'undone';
    step.at = new Date(Date.UTC(2026, 10, 25, 10, 0, 0, index * 7)).toISOString();
    if (step.write.kind.startsWith('create-')) step.createdId = uuid(100_000 + index);
  });
  journal.state = state;
  journal.message =
    state === 'applied'
      ? `Applied ${plan.steps.length} steps for ${plan.fixes.length} clients.`
      : `Step 3 of ${plan.steps.length} failed (Create client scope "orders-service-1-audience"): HTTP 500 unknown_error. Everything this run wrote has been undone.`;
  journal.steps[2] = { ...(journal.steps[2] as RunJournal['steps'][number]), problem: 'HTTP 500 unknown_error' };
  return { ...journal, updatedAt: new Date().toISOString() };
}

describe('estimateJournalChars', () => {
  it.each<Strategy>(['client-scope', 'dedicated-mapper', 'shared-scope'])(
    'covers the finished journal of a 500-client %s run, applied or rolled back, by a small margin',
    (strategy) => {
      const plan = bulkPlan(500, strategy);
      const estimate = estimateJournalChars(plan, URL);
      for (const state of ['applied', 'rolled-back'] as const) {
        const actual = JSON.stringify(journalAfterRun(plan, state)).length;
        expect(estimate).toBeGreaterThanOrEqual(actual);
        expect(estimate).toBeLessThan(actual * 1.15);
      }
    },
  );

  it('grows with the clients: 20 journals of a 500-client run pass the browser quota', () => {
    const perRun = estimateJournalChars(bulkPlan(500), URL);
    expect(20 * perRun).toBeGreaterThan(STORAGE_QUOTA_CHARS);
    expect(estimateJournalChars(bulkPlan(1000), URL)).toBeGreaterThan(1.9 * perRun);
  });
});

describe('firstClients', () => {
  it('keeps the first clients of the plan and only their steps', () => {
    const plan = bulkPlan(10);
    const batch = firstClients(plan, 3);
    expect(batch.fixes).toEqual(clientIds(3));
    expect(batch.request.clientIds).toEqual(clientIds(3));
    expect(batch.steps).toHaveLength(6);
    expect(batch.steps.flatMap((step) => step.clientIds)).toEqual(clientIds(3).flatMap((id) => [id, id]));
  });
});

describe('journalRoom', () => {
  const plan = bulkPlan(200);
  const needed = estimateJournalChars(plan, URL);

  it('fits when the journal is at most what is left, other keys counted', () => {
    const room = journalRoom(plan, URL, { used: 1000, quota: needed + 1010, overhead: 10 });
    expect(room).toMatchObject({ fits: true, needed, left: needed, clients: 200, clientsPerRun: 200 });
    expect(journalRoom(plan, URL, { used: 1001, quota: needed + 1010, overhead: 10 }).fits).toBe(false);
  });

  it('says how many clients fit in one run: the largest batch whose journal fits', () => {
    const left = Math.floor(needed / 3);
    const room = journalRoom(plan, URL, { used: 0, quota: left, overhead: 0 });
    expect(room.fits).toBe(false);
    expect(room.clientsPerRun).toBeGreaterThan(50);
    expect(room.clientsPerRun).toBeLessThan(70);
    expect(estimateJournalChars(firstClients(plan, room.clientsPerRun), URL)).toBeLessThanOrEqual(left);
    expect(estimateJournalChars(firstClients(plan, room.clientsPerRun + 1), URL)).toBeGreaterThan(left);
  });

  it('says so when not even one client fits, and never counts negative room', () => {
    const room = journalRoom(plan, URL, { used: 6_000_000, quota: STORAGE_QUOTA_CHARS, overhead: 1 });
    expect(room).toMatchObject({ fits: false, left: 0, clientsPerRun: 0 });
    expect(roomProblem(room)).toContain('not even one of these clients fits');
  });

  it('words the refusal with the sizes and the ways out', () => {
    const room = journalRoom(plan, URL, {
      used: STORAGE_QUOTA_CHARS - 100 * 1024 - 1,
      quota: STORAGE_QUOTA_CHARS,
      overhead: 1,
    });
    expect(roomProblem(room)).toMatch(
      /^This run's journal would take about 2\d\d kB, and this browser has 100 kB left \(4\.9 MB of its 5\.0 MB are used\)\. To go on, apply it in smaller batches \(about \d+ of these 200 clients fit in one run now\), or download and clear old journals in Recent runs\.$/,
    );
  });
});

describe('storage sizes', () => {
  it('counts every key and value, as the browser counts its quota', () => {
    const items = new Map([
      ['a', 'xyz'],
      ['audience-doctor.runs:k:r', '[]'],
    ]);
    const storage = {
      get length() {
        return items.size;
      },
      key: (index: number) => [...items.keys()][index] ?? null,
      getItem: (key: string) => items.get(key) ?? null,
    } as Storage;
    expect(storageUsed(storage)).toBe(1 + 3 + 24 + 2);
  });

  it('formats characters as kB and MB', () => {
    expect(formatChars(10)).toBe('1 kB');
    expect(formatChars(300 * 1024)).toBe('300 kB');
    expect(formatChars(STORAGE_QUOTA_CHARS)).toBe('5.0 MB');
  });

  it('knows a full storage by its error', () => {
    expect(isQuotaError(new DOMException('exceeded the quota', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError(new Error('something else'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
});
