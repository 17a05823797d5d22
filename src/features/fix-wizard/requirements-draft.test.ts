import { describe, expect, it } from 'vitest';
import {
  loadRequirementsDraft,
  parseDraft,
  removeRequirementsDraft,
  saveRequirementsDraft,
} from './requirements-draft.ts';

function fakeStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the draft of a requirements run', () => {
  it('is kept per run id and read back as it was saved', () => {
    const store = fakeStorage();
    const draft = { realm: 'demo', requirements: { spa: ['orders-api'], batch: [], web: null }, written: [] };
    saveRequirementsDraft('run-1', draft, store);
    saveRequirementsDraft('run-2', { ...draft, requirements: {} }, store);
    expect(loadRequirementsDraft('run-1', store)).toEqual(draft);
    expect([...store.items.keys()]).toEqual([
      'audience-doctor.requirements-draft:run-1',
      'audience-doctor.requirements-draft:run-2',
    ]);
    removeRequirementsDraft('run-1', store);
    expect(loadRequirementsDraft('run-1', store)).toBeUndefined();
    expect(loadRequirementsDraft('run-2', store)?.requirements).toEqual({});
  });

  it('serves this page from memory when the storage refuses it', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const draft = { realm: 'demo', requirements: { spa: ['a'] }, written: ['spa'] };
    saveRequirementsDraft('run-3', draft, full);
    expect(loadRequirementsDraft('run-3', full)).toEqual(draft);
  });

  it.each([
    ['not JSON', '{realm'],
    ['no realm', '{"requirements":{}}'],
    ['an array of requirements', '{"realm":"r","requirements":[]}'],
    ['a list with a number', '{"realm":"r","requirements":{"spa":[1]}}'],
    ['a name with spaces around it', '{"realm":"r","requirements":{"spa":[" a"]}}'],
  ])('refuses %s', (_, text) => {
    expect(parseDraft(text)).toBeUndefined();
  });
});
