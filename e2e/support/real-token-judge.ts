import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientRep } from '../../src/audit/snapshot.ts';
import { repoRoot } from '../keycloak/settings.ts';
import { audOf, decodeJwtPayload, type Grant, requestToken, type TokenOutcome } from './real-tokens.ts';

/** One real request of a case and what came back. */
export interface JudgedRequest {
  label: string;
  outcome: 'carries' | 'lacks' | 'refused';
  aud: string[];
  /** Keycloak's error and description, for a refusal. */
  refusal?: string;
  claims?: Record<string, unknown>;
}

export type RealVerdict = 'ok' | 'missing' | 'conditional' | 'not-applicable';

interface FixtureClient {
  clientId: string;
  secret?: string;
  redirectUris?: string[];
}

interface FixtureUser {
  username: string;
  credentials?: { value: string }[];
}

const fixture = JSON.parse(readFileSync(join(repoRoot, 'e2e', 'fixtures', 'audience-cases-realm.json'), 'utf8')) as {
  clients: FixtureClient[];
  users: FixtureUser[];
};

/** The realm's users with passwords: one holds the role of the role-restricted scopes, one holds none. */
export const JUDGE_USERS = ['plain-user', 'role-holder'].map((username) => {
  const password = fixture.users.find((user) => user.username === username)?.credentials?.[0]?.value;
  if (!password) throw new Error(`audience-cases-realm.json has no user ${username} with a password`);
  return { username, password };
});

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** The grants a case's settings switch on, read case-insensitively as Keycloak does; none is forced on. */
function grantsOf(client: ClientRep): (Grant | 'token_exchange')[] {
  const on = (key: string) => client.attributes?.[key]?.toLowerCase() === 'true';
  const grants: [boolean, Grant | 'token_exchange'][] = [
    [client.standardFlowEnabled === true, 'authorization_code'],
    [client.implicitFlowEnabled === true, 'implicit'],
    [client.directAccessGrantsEnabled === true, 'password'],
    [client.serviceAccountsEnabled === true, 'client_credentials'],
    [on('oauth2.device.authorization.grant.enabled'), 'device_code'],
    [on('standard.token.exchange.enabled'), 'token_exchange'],
  ];
  return grants.filter(([enabled]) => enabled).map(([, grant]) => grant);
}

/** The case's requests: its default scopes, each optional scope alone, all of them together. */
function scopeSets(client: ClientRep): string[][] {
  const optional = client.optionalClientScopes ?? [];
  return [[], ...optional.map((name) => [name]), ...(optional.length > 1 ? [optional] : [])];
}

async function exchangeToken(
  baseUrl: string,
  realm: string,
  client: FixtureClient,
  scope: string[],
  subjectToken: string,
): Promise<TokenOutcome> {
  const response = await fetch(`${baseUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret ?? ''}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      scope: ['openid', ...scope].join(' '),
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, string>;
  if (!response.ok || !body.access_token) {
    return {
      kind: 'refused',
      grant: 'password',
      stage: 'token',
      status: response.status,
      error: body.error ?? 'no_token',
      description: body.error_description,
    };
  }
  return {
    kind: 'token',
    grant: 'password',
    accessToken: body.access_token,
    claims: decodeJwtPayload(body.access_token),
  };
}

/**
 * Every request of a case against the real token endpoint. A grant that is switched off is never used, so a
 * case is judged with the settings it really has; a case without any grant is asked through the password and
 * client-credentials grants, to record Keycloak's refusal.
 */
export async function judgeWithRealTokens(
  baseUrl: string,
  realm: string,
  client: ClientRep,
  subjectTokenFor: (username: string) => Promise<string>,
  /** Whether a scope of the client is role-restricted: then a user holding its role is asked too. */
  roleRestricted: boolean,
): Promise<JudgedRequest[]> {
  const stored = fixture.clients.find((candidate) => candidate.clientId === client.clientId);
  if (!stored) throw new Error(`audience-cases-realm.json has no client ${client.clientId}`);
  const common = {
    baseUrl,
    realm,
    clientId: client.clientId,
    clientSecret: stored.secret,
    redirectUri: stored.redirectUris?.[0],
  };
  const grants = grantsOf(client);
  const tried: (Grant | 'token_exchange')[] = grants.length > 0 ? grants : ['password', 'client_credentials'];
  const results: JudgedRequest[] = [];
  for (const grant of tried) {
    for (const scope of scopeSets(client)) {
      const users = grant === 'client_credentials' ? [undefined] : JUDGE_USERS.slice(0, roleRestricted ? undefined : 1);
      for (const user of users) {
        const label = `${grant}${user ? ` as ${user.username}` : ''} with scope "openid${scope.map((name) => ` ${name}`).join('')}"`;
        const outcome =
          grant === 'token_exchange'
            ? await exchangeToken(baseUrl, realm, stored, scope, await subjectTokenFor(user?.username ?? ''))
            : await requestToken(grant, { ...common, scope, user });
        if (outcome.kind === 'refused') {
          results.push({
            label,
            outcome: 'refused',
            aud: [],
            refusal: `${outcome.stage}: ${outcome.error}${outcome.description ? ` (${outcome.description})` : ''}`,
          });
        } else {
          const aud = audOf(outcome.claims);
          results.push({
            label,
            outcome: aud.includes(client.clientId) ? 'carries' : 'lacks',
            aud,
            claims: outcome.claims,
          });
        }
      }
    }
  }
  return results;
}

/** ok: every token carries the clientId; missing: none does; conditional: some; not-applicable: no token at all. */
export function realVerdict(requests: JudgedRequest[]): RealVerdict {
  const tokens = requests.filter((request) => request.outcome !== 'refused');
  if (tokens.length === 0) return 'not-applicable';
  const carrying = tokens.filter((request) => request.outcome === 'carries').length;
  if (carrying === tokens.length) return 'ok';
  return carrying === 0 ? 'missing' : 'conditional';
}
