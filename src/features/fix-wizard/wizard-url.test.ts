import { describe, expect, it } from 'vitest';
import { newRequirementsWizard, newWizard, readWizard, type WizardUrl, writeWizard } from './wizard-url.ts';

const roundTrip = (wizard: WizardUrl, base = '') => readWizard(writeWizard(new URLSearchParams(base), wizard));

describe('the wizard in the URL', () => {
  it('reads back what it wrote, step, run and options included', () => {
    const wizard: WizardUrl = {
      ...newWizard({ clientIds: ['orders-web', 'a,b with comma', 'ünï'] }, '20261202T010000Z-abcd'),
      step: 'preview',
      strategy: 'client-scope',
      scopeNames: { 'orders-web': 'orders scope' },
      sharedName: 'team',
      planned: '0123abcd',
    };
    expect(roundTrip(wizard)).toEqual(wizard);
  });

  it('keeps "all matching" as the table filter, not as ids', () => {
    const params = writeWizard(new URLSearchParams('q=web&verdict=missing'), newWizard({ allMatching: true }, 'run-1'));
    expect(params.get('q')).toBe('web');
    expect(params.get('verdict')).toBe('missing');
    expect(params.getAll('fixClient')).toEqual(['all-matching']);
    expect(readWizard(params)?.target).toEqual({ allMatching: true });
  });

  it('a cross-client wizard names its API client', () => {
    expect(roundTrip(newWizard({ clientIds: ['web'] }, 'run-1', 'orders-api'))).toMatchObject({
      audience: 'orders-api',
      target: { clientIds: ['web'] },
    });
  });

  it('a cross-client wizard for a custom audience keeps the value and that it is one', () => {
    const wizard: WizardUrl = {
      ...newWizard({ clientIds: ['web'] }, 'run-1', 'https://orders.example.com/a?b=c&d', true),
      step: 'options',
      scopeNames: { 'https://orders.example.com/a?b=c&d': 'orders' },
    };
    const params = writeWizard(new URLSearchParams('caller=web'), wizard);
    expect(params.get('fixCustom')).toBe('1');
    expect(params.get('fixAudience')).toBe('https://orders.example.com/a?b=c&d');
    expect(readWizard(new URLSearchParams(params.toString()))).toEqual(wizard);
    expect(roundTrip(newWizard({ clientIds: ['web'] }, 'run-1', 'orders-api'))?.customAudience).toBeUndefined();
    // Only a cross-client wizard has a custom audience.
    expect(newWizard({ clientIds: ['web'] }, 'run-1', undefined, true).customAudience).toBeUndefined();
    expect(readWizard(new URLSearchParams('fix=own&fixRun=r&fixClient=a&fixCustom=1'))?.customAudience).toBeUndefined();
  });

  it('a requirements wizard keeps its step, run and choices, never the lists themselves', () => {
    const wizard: WizardUrl = {
      ...newRequirementsWizard('run-2', { replaceUnreadable: true, acceptUnknownAudiences: false }),
      step: 'verify',
      planned: 'feedbeef',
    };
    const params = writeWizard(new URLSearchParams('caller=spa'), wizard);
    expect(params.toString()).toBe(
      'caller=spa&fix=requirements&fixStep=verify&fixRun=run-2&fixReplaceUnreadable=1&fixPlanned=feedbeef',
    );
    expect(readWizard(params)).toEqual(wizard);
    expect(writeWizard(params, undefined).toString()).toBe('caller=spa');
  });

  it('closing takes out every wizard parameter and nothing else', () => {
    const open = writeWizard(new URLSearchParams('client=abc&q=x'), newWizard({ clientIds: ['a'] }, 'run-1'));
    expect(writeWizard(open, undefined).toString()).toBe('client=abc&q=x');
  });

  it.each([
    ['no wizard', 'q=x'],
    ['no run id', 'fix=own&fixClient=a'],
    ['an unknown mode', 'fix=other&fixRun=r'],
    ['cross-client without its API client', 'fix=cross&fixRun=r&fixClient=a'],
  ])('opens nothing for %s', (_, query) => {
    expect(readWizard(new URLSearchParams(query))).toBeUndefined();
  });

  it('an unknown step or strategy falls back to the first step and the suggestion; bad names are ignored', () => {
    expect(
      readWizard(new URLSearchParams('fix=own&fixRun=r&fixClient=a&fixStep=x&fixStrategy=y&fixScopeNames=%5B1%5D')),
    ).toEqual({ target: { clientIds: ['a'] }, step: 'strategy', runId: 'r', scopeNames: {}, sharedName: '' });
  });
});
