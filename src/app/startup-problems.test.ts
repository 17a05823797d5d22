import { describe, expect, it } from 'vitest';
import { configProblem, probeProblem, signInProblem } from './startup-problems.ts';

describe('start-up problem pages', () => {
  it('shows the config details and an example file', () => {
    const page = configProblem({ summary: 'config.json has invalid settings', details: ['realm: required'] });
    expect(page.title).toBe('config.json has invalid settings');
    expect(page.details).toEqual(['realm: required']);
    expect(page.example).toContain('"keycloakUrl"');
  });

  it('names the missing realm and the server that answered', () => {
    const page = probeProblem({ kind: 'realm-not-found', realm: 'demo', keycloakUrl: 'http://kc' });
    expect(page.title).toBe('Realm "demo" not found');
    expect(page.explanation).toContain('http://kc');
  });

  it('tells an unreachable server apart', () => {
    const page = probeProblem({ kind: 'server-unreachable', keycloakUrl: 'http://kc' });
    expect(page.title).toBe('Keycloak is not reachable');
  });

  it('sends a keycloakUrl copied from a realm address back to the server root', () => {
    const page = probeProblem({ kind: 'server-unreachable', keycloakUrl: 'https://kc.example.com/auth/realms/demo' });
    expect(page.fixes[0]).toContain('set it to the server root, https://kc.example.com/auth.');
    expect(probeProblem({ kind: 'server-unreachable', keycloakUrl: 'http://kc' }).fixes[0]).not.toContain('root,');
  });

  const where = { url: 'https://tools.example.com/ad/', origin: 'https://tools.example.com' };

  it('points at the client settings when sign-in fails', () => {
    const page = signInProblem('invalid_redirect_uri', 'audience-doctor', 'demo', where);
    expect(page.explanation).toContain('invalid_redirect_uri');
    expect(page.fixes.join(' ')).toContain('"audience-doctor"');
    expect(page.fixes.join(' ')).toContain('https://tools.example.com/ad/ exactly');
  });

  it('asks for the Web origin when the token request was blocked', () => {
    const page = signInProblem('Failed to fetch', 'audience-doctor', 'demo', where);
    expect(page.fixes[0]).toBe(
      'Add https://tools.example.com to the Web origins of client "audience-doctor" in realm "demo", then reload this page.',
    );
  });
});
