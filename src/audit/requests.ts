import type { Grant } from './client-settings.ts';
import type { ContainerRef } from './findings.ts';
import { type LightweightDecision, lightweightByPolicy, type TokenEvent } from './policies.ts';
import type { ClientPoliciesSnapshot, ClientRep } from './snapshot.ts';

/** The client-policy event of each grant's token request. */
const EVENT_OF: Record<Grant, TokenEvent> = {
  authorization_code: 'code-exchange',
  implicit: 'implicit',
  password: 'password',
  client_credentials: 'service-account',
  device: 'device',
  ciba: 'ciba',
  token_exchange: 'token-exchange',
  jwt_grant: 'jwt-grant',
};

/** A mapper that can put a value into aud, with the flag Keycloak reads in each token mode. */
export interface AudWriter {
  container: ContainerRef;
  inAccessToken: boolean;
  inLightweightToken: boolean;
}

/** One kind of request the client can make: a grant, the optional scopes it asks for, the user's roles. */
export interface RequestProfile {
  grant: Grant;
  requestedScopes: string[];
  /** Whether the user holds a role of each role-restricted scope, or none of them. */
  holdsScopeRoles: boolean;
}

export type RequestOutcome =
  /** The own clientId is in aud. */
  | 'carries'
  | 'lacks'
  /** A mapper that rewrites aud runs: its effect is not predictable from its settings. */
  | 'overridden'
  /** A client policy may or may not switch the request to lightweight tokens, and that decides it. */
  | 'policy-unknown';

export interface JudgedRequest {
  profile: RequestProfile;
  outcome: RequestOutcome;
  /** Whether a client policy switched this request to lightweight tokens (or may). */
  lightweightBy: string[];
  why?: string;
}

function applies(container: ContainerRef, profile: RequestProfile): boolean {
  if (container.attachment === 'optional' && !profile.requestedScopes.includes(container.name)) return false;
  if (container.applies === 'role-restricted') return profile.holdsScopeRoles;
  return true;
}

/** The fixed set of requests a client is judged by: default scopes, each optional scope alone, all of them. */
export function requestProfiles(client: ClientRep, grants: Grant[], roleRestricted: boolean): RequestProfile[] {
  const optional = client.optionalClientScopes ?? [];
  const scopeSets = [[], ...optional.map((name) => [name]), ...(optional.length > 1 ? [optional] : [])];
  const profiles: RequestProfile[] = [];
  for (const grant of grants) {
    for (const requestedScopes of scopeSets) {
      for (const holdsScopeRoles of roleRestricted ? [true, false] : [false]) {
        profiles.push({ grant, requestedScopes, holdsScopeRoles });
      }
    }
  }
  return profiles;
}

export interface RequestContext {
  client: ClientRep;
  /** The client's own attribute says lightweight. */
  lightweight: boolean;
  policies: ClientPoliciesSnapshot | undefined;
  version: string | undefined;
  own: AudWriter[];
  overrides: AudWriter[];
}

function outcomeIn(context: RequestContext, profile: RequestProfile, lightweight: boolean): RequestOutcome {
  const on = (writer: AudWriter) =>
    applies(writer.container, profile) && (lightweight ? writer.inLightweightToken : writer.inAccessToken);
  if (context.overrides.some(on)) return 'overridden';
  return context.own.some(on) ? 'carries' : 'lacks';
}

// Shared by every request they decide; read, never changed.
const OWN_ATTRIBUTE: LightweightDecision = { outcome: 'yes', policies: [] };
const NO_POLICIES: LightweightDecision = { outcome: 'no', policies: [] };

/**
 * Whether the request gets a lightweight access token: the client's own attribute, else the client policies.
 * It does not depend on the mappers, so the audit asks once per request and judges every audience with it.
 */
export function tokenMode(context: RequestContext, profile: RequestProfile): LightweightDecision {
  if (context.lightweight) return OWN_ATTRIBUTE;
  if (!context.policies) return NO_POLICIES;
  return lightweightByPolicy(
    context.policies,
    context.client,
    { event: EVENT_OF[profile.grant], requestedScopes: profile.requestedScopes },
    context.version,
  );
}

/** What a real token of this request carries, in the token mode tokenMode found for it. */
export function judgeInMode(
  context: RequestContext,
  profile: RequestProfile,
  mode: LightweightDecision,
): JudgedRequest {
  if (mode.outcome !== 'unknown') {
    return { profile, outcome: outcomeIn(context, profile, mode.outcome === 'yes'), lightweightBy: mode.policies };
  }
  const normal = outcomeIn(context, profile, false);
  const light = outcomeIn(context, profile, true);
  if (normal === light) return { profile, outcome: normal, lightweightBy: [] };
  return { profile, outcome: 'policy-unknown', lightweightBy: mode.policies, why: mode.why };
}

export const describeProfile = (profile: RequestProfile): string =>
  [
    profile.grant,
    profile.requestedScopes.length ? `scope "${profile.requestedScopes.join(' ')}"` : 'default scopes',
    profile.holdsScopeRoles ? 'a user holding the scope roles' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
