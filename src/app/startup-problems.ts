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
  const root = serverRoot(probe.keycloakUrl);
  return {
    title: 'Keycloak is not reachable',
    explanation: `No Keycloak answered at ${probe.keycloakUrl}.`,
    details: [],
    fixes: [
      ...(root ? [`"keycloakUrl" in config.json points inside Keycloak: set it to the server root, ${root}.`] : []),
      'Check that Keycloak is running and that this browser can reach it.',
      'Check "keycloakUrl" in config.json: the server root, with /auth for Keycloak 16 and older.',
    ],
  };
}

/** The server root when keycloakUrl was copied from a realm or admin console address (…/realms/x, …/admin/…). */
function serverRoot(keycloakUrl: string): string | undefined {
  return /^(https?:\/\/.+?)\/(realms|admin)(\/|$)/.exec(keycloakUrl)?.[1];
}

/** Where the app runs: what the client's redirect URIs and Web origins must list. */
export interface PageAddress {
  url: string;
  origin: string;
}

// How Chromium, Firefox and Safari word a fetch that got no readable answer (CORS refused, or no server).
const FETCH_FAILED = /failed to fetch|networkerror|load failed/i;

export function signInProblem(reason: string, clientId: string, realm: string, page: PageAddress): StartupProblem {
  const client = `"${clientId}" in realm "${realm}"`;
  if (FETCH_FAILED.test(reason)) {
    return {
      title: 'Sign-in failed: Keycloak refused this page',
      explanation: `The login at Keycloak worked, but this page could not fetch its tokens (${reason}): Keycloak sent no CORS headers for ${page.origin}, or stopped answering.`,
      details: [],
      fixes: [
        `Add ${page.origin} to the Web origins of client ${client}, then reload this page.`,
        'If Keycloak went down meanwhile, start it again and reload this page.',
      ],
    };
  }
  return {
    title: 'Sign-in failed',
    explanation: `Keycloak did not complete the sign-in: ${reason}`,
    details: [],
    fixes: [
      `Check that the client ${client} exists, is enabled, and is a public client with the standard flow.`,
      `Its Valid redirect URIs must list ${page.url} exactly, and its Web origins ${page.origin}.`,
    ],
  };
}
