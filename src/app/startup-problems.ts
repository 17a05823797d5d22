import { CONFIG_EXAMPLE, type ConfigProblem } from '../config/config.ts';
import type { ProbeResult } from '../keycloak/probe.ts';

/** A start-up failure explained on a full page: what happened, and what to change. */
export interface StartupProblem {
  title: string;
  explanation: string;
  details: string[];
  fixes: string[];
  example?: string;
}

export function configProblem(problem: ConfigProblem): StartupProblem {
  return {
    title: problem.summary,
    explanation:
      'Audience Doctor reads config.json, next to its index.html, to know which Keycloak, realm and client to sign in with.',
    details: problem.details,
    fixes: [
      'Put a config.json beside index.html with the settings below ("adminConsoleUrl" is optional).',
      'keycloakUrl is the server root, with /auth for Keycloak 16 and older.',
    ],
    example: CONFIG_EXAMPLE,
  };
}

export function probeProblem(probe: Exclude<ProbeResult, { kind: 'ok' }>): StartupProblem {
  if (probe.kind === 'realm-not-found') {
    return {
      title: `Realm "${probe.realm}" not found`,
      explanation: `The Keycloak at ${probe.keycloakUrl} answers, but it has no realm named "${probe.realm}".`,
      details: [],
      fixes: [
        'Set "realm" in config.json to the realm your admins sign in to (master for server-wide admins).',
        'Realm names are case-sensitive.',
      ],
    };
  }
  return {
    title: 'Keycloak is not reachable',
    explanation: `No Keycloak answered at ${probe.keycloakUrl}.`,
    details: [],
    fixes: [
      'Check that Keycloak is running and that this browser can reach it.',
      'Check "keycloakUrl" in config.json: the server root, with /auth for Keycloak 16 and older.',
    ],
  };
}

export function signInProblem(reason: string, clientId: string, realm: string): StartupProblem {
  return {
    title: 'Sign-in failed',
    explanation: `Keycloak did not complete the sign-in: ${reason}`,
    details: [],
    fixes: [
      `Check that the client "${clientId}" exists in realm "${realm}", is enabled, and is a public client with the standard flow.`,
      `Its Valid redirect URIs must list this page's address exactly, and its Web origins this page's origin.`,
    ],
  };
}
