import { describe, expect, it } from 'vitest';
import type { TrustCaller, TrustCell, TrustMap } from '../../audit/trust-map.ts';
import { cellName, cellText, lookOf, viewOf, windowOf } from './map-view.ts';

const cell = (caller: string, audience: string, partial: Partial<TrustCell> = {}): TrustCell => ({
  caller,
  audience,
  required: false,
  status: undefined,
  carried: 'never',
  perUser: false,
  sources: [],
  ...partial,
});

const caller = (clientId: string, cells: TrustCell[]): TrustCaller => ({
  clientId,
  id: `id-${clientId}`,
  builtIn: false,
  perUser: false,
  cannotJudge: undefined,
  waiting: false,
  cells: new Map(cells.map((item) => [item.audience, item])),
});

const audience = (name: string) => ({ audience: name, isClient: true, builtIn: false, requiredBy: 1, carriedBy: 1 });

const map: TrustMap = {
  realm: 'test',
  callers: [
    caller('spa', [cell('spa', 'api', { required: true })]),
    caller('spa-admin', [cell('spa-admin', 'billing', { carried: 'always' })]),
    caller('web', [cell('web', 'api', { carried: 'always' }), cell('web', 'api-gateway', { carried: 'always' })]),
  ],
  audiences: [audience('api'), audience('api-gateway'), audience('billing')],
};

const names = ({ callers, audiences }: ReturnType<typeof viewOf>) => ({
  rows: callers.map((item) => item.clientId),
  columns: audiences.map((item) => item.audience),
});

describe('the map filter', () => {
  it('without text shows everything', () => {
    expect(names(viewOf(map, { caller: '', audience: '' }))).toEqual({
      rows: ['spa', 'spa-admin', 'web'],
      columns: ['api', 'api-gateway', 'billing'],
    });
  });

  it('to one row: an exact clientId wins, and only its audiences stay as columns', () => {
    expect(names(viewOf(map, { caller: 'SPA', audience: '' }))).toEqual({ rows: ['spa'], columns: ['api'] });
    expect(names(viewOf(map, { caller: 'sp', audience: '' }))).toEqual({
      rows: ['spa', 'spa-admin'],
      columns: ['api', 'billing'],
    });
  });

  it('to one column: only the callers that require or carry it stay as rows', () => {
    expect(names(viewOf(map, { caller: '', audience: 'api' }))).toEqual({ rows: ['spa', 'web'], columns: ['api'] });
    expect(names(viewOf(map, { caller: '', audience: 'gate' }))).toEqual({ rows: ['web'], columns: ['api-gateway'] });
  });

  it('by both: a single cell', () => {
    expect(names(viewOf(map, { caller: 'spa-admin', audience: 'api' }))).toEqual({
      rows: ['spa-admin'],
      columns: ['api'],
    });
  });
});

describe('the window', () => {
  it('covers the viewport and the overscan, within the list', () => {
    expect(windowOf(0, 100, 10, 1000, 2)).toEqual({ start: 0, end: 12 });
    expect(windowOf(500, 100, 10, 1000, 2)).toEqual({ start: 48, end: 62 });
    expect(windowOf(9950, 100, 10, 1000, 2)).toEqual({ start: 993, end: 1000 });
    expect(windowOf(0, 100, 10, 0, 2)).toEqual({ start: 0, end: 0 });
  });
});

describe('a cell in words', () => {
  it('says required or not and always, sometimes or never; the name starts with the words shown', () => {
    const red = cell('spa', 'api', { required: true, perUser: true });
    expect(lookOf(red)).toBe('unmet');
    expect(cellText(red)).toEqual({ first: 'required', second: '✖ never · per user' });
    expect(cellName(red, '')).toBe(
      'spa → api: required, never, per user; no mapper adds it, may be added per user from their roles',
    );
    const unasked = cell('web', 'api', { carried: 'conditional' });
    expect(lookOf(unasked)).toBe('unasked-conditional');
    expect(cellText(unasked)).toEqual({ first: 'not required', second: '○ sometimes' });
    expect(cellName(unasked, 'client scope "x" (optional)')).toBe(
      'web → api: not required, sometimes; carried only for some logins; from client scope "x" (optional)',
    );
    const green = cell('spa', 'spa', { required: true, carried: 'always' });
    expect(lookOf(green)).toBe('met');
    expect(cellText(green)).toEqual({ first: 'required', second: '✔ always' });
    expect(cellName(green, 'mapper "m" in the client\'s own mappers (spa-dedicated)')).toBe(
      'spa → spa: required, always; carried for every login; from mapper "m" in the client\'s own mappers (spa-dedicated)',
    );
    expect(lookOf(cell('a', 'b'))).toBe('empty');
    expect(cellText(cell('a', 'b'))).toEqual({ first: '', second: '' });
    expect(cellName(cell('a', 'b'), '')).toBe('a → b: not required, never; no mapper adds it');
  });
});
