import type { AppConfig } from '../config/config.ts';

export type ProbeResult =
  | { kind: 'ok' }
  | { kind: 'realm-not-found'; realm: string; keycloakUrl: string }
  | { kind: 'server-unreachable'; keycloakUrl: string };

const discoveryUrl = (keycloakUrl: string, realm: string) =>
  `${keycloakUrl}/realms/${encodeURIComponent(realm)}/.well-known/openid-configuration`;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return false;
    // A static server's SPA fallback answers any path with 200 and HTML; only an OpenID provider names its issuer.
    const discovery = (await response.json()) as { issuer?: unknown } | null;
    return typeof discovery?.issuer === 'string';
  } catch {
    // Keycloak sends no CORS headers with a 404, so an unknown realm also ends up here.
    return false;
  }
}

/**
 * Checks the realm's discovery document before keycloak-js redirects, so that a wrong realm or a
 * server that is down gets a page of ours instead of a browser error page. Master tells the two apart.
 */
export async function probeKeycloak(config: AppConfig): Promise<ProbeResult> {
  if (await answers(discoveryUrl(config.keycloakUrl, config.realm))) return { kind: 'ok' };
  if (config.realm !== 'master' && (await answers(discoveryUrl(config.keycloakUrl, 'master')))) {
    return { kind: 'realm-not-found', realm: config.realm, keycloakUrl: config.keycloakUrl };
  }
  return { kind: 'server-unreachable', keycloakUrl: config.keycloakUrl };
}
