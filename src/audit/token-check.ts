import type { ClientAudit } from './findings.ts';

/** Why a pasted text could not be read as a token. */
export interface TokenReadError {
  ok: false;
  message: string;
}

export interface DecodedToken {
  ok: true;
  /** The JWT header, or undefined when only the payload JSON was pasted. */
  header: Record<string, unknown> | undefined;
  payload: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function decodeBase64Url(part: string): string | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bare = part.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  const base64 = bare
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(bare.length / 4) * 4, '=');
  try {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a pasted access token: a JWT (optionally after "Bearer " or "Authorization: Bearer "), or its payload
 * JSON. The signature is not checked: the token is only read, never trusted or sent anywhere.
 */
export function decodePastedToken(input: string): DecodedToken | TokenReadError {
  const text = input
    .trim()
    .replace(/^authorization:\s*/i, '')
    .replace(/^bearer(\s+|$)/i, '')
    .trim();
  if (text === '') return { ok: false, message: 'Paste an access token (a JWT) or its payload JSON.' };
  if (text.startsWith('{')) {
    const payload = parseObject(text);
    return payload
      ? { ok: true, header: undefined, payload }
      : { ok: false, message: 'This starts like JSON but is not a valid JSON object.' };
  }
  const parts = text.split('.');
  if (parts.length === 5) {
    return {
      ok: false,
      message:
        'This is an encrypted token (JWE, five parts): its claims cannot be read without the key. Paste the token as the resource server sees it after decrypting, or its payload JSON.',
    };
  }
  if (parts.length !== 3) {
    return {
      ok: false,
      message: `Not a JWT: a JWT has three parts separated by dots, this has ${parts.length}. Paste the whole access token, or its payload JSON.`,
    };
  }
  const [headerPart = '', payloadPart = ''] = parts;
  const headerText = decodeBase64Url(headerPart);
  if (headerText === undefined) {
    return { ok: false, message: 'Not a JWT: its first part (the header) is not valid base64url.' };
  }
  const header = parseObject(headerText);
  if (!header) return { ok: false, message: 'Not a JWT: its first part (the header) is not a JSON object.' };
  const payloadText = decodeBase64Url(payloadPart);
  if (payloadText === undefined) {
    return {
      ok: false,
      message: 'Not a JWT: its second part (the payload) is not valid base64url. Was the token cut off or changed?',
    };
  }
  const payload = parseObject(payloadText);
  if (!payload) return { ok: false, message: 'Not a JWT: its second part (the payload) is not a JSON object.' };
  return { ok: true, header, payload };
}

export interface ScopeAudience {
  value: string;
  scope: string;
}

export interface PastedTokenResult {
  ok: true;
  clientId: string;
  /** The token's `typ`; Keycloak's access tokens say "Bearer" (TokenUtil.TOKEN_TYPE_BEARER). */
  type: string | undefined;
  /** Set when `typ` shows this is not an access token, e.g. an ID or refresh token. */
  notAnAccessToken: boolean;
  azp: string | undefined;
  azpMatches: boolean;
  aud: string[];
  ownInToken: boolean;
  /** Whether the prediction puts the clientId in aud; undefined when it cannot say for this token. */
  ownPredicted: boolean | undefined;
  /** undefined when there is no prediction to compare with. */
  ownAgrees: boolean | undefined;
  /** Predicted for every token (or from a requested optional scope) but absent. */
  expectedButAbsent: string[];
  /** In aud, and predicted for every token. */
  expectedAndPresent: string[];
  /** In aud from a scope that applies only sometimes: a requested optional scope, a role-restricted scope. */
  conditionalPresent: ScopeAudience[];
  /** In aud, not predicted, but possibly from the user's client roles (the audience resolve mapper). */
  possiblyFromRoles: string[];
  /** In aud, and nothing the audit knows explains it. */
  unexpected: string[];
  scopes: string[];
  /** The client's optional scopes the token shows as requested. */
  requestedOptionalScopes: string[];
  /** Conditional audiences that a requested optional scope explains. */
  explainedByRequestedScopes: ScopeAudience[];
  expiresAt: Date | undefined;
  expired: boolean | undefined;
  issuer: string | undefined;
  /** The realm named in `iss` (…/realms/<realm>), or undefined when `iss` has no realm. */
  issuerRealm: string | undefined;
  /** false when the token comes from another realm than the audited one. */
  issuerMatches: boolean | undefined;
  /** What an example token cannot see for this client; a difference from the prediction may come from these. */
  blindSpots: string[];
}

export interface TokenCheckContext {
  /** The audited realm. */
  realm: string;
  /** The client's optional client scopes by name. */
  optionalScopes: string[];
  /**
   * Client scopes with "Include in token scope" off: Keycloak leaves them out of the `scope` claim
   * (DefaultClientSessionContext.getScopeString), so the token cannot tell whether they were requested.
   */
  scopesHiddenFromScopeClaim: string[];
  now: Date;
}

function audValues(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((value): value is string => typeof value === 'string');
  return [];
}

function realmOfIssuer(iss: string): string | undefined {
  const match = /\/realms\/([^/?#]+)\/?$/.exec(iss);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

const NO_PREDICTION: ClientAudit['verdict'][] = ['unpredictable', 'not-applicable', 'cannot-judge'];

/** Compares a pasted token's claims with what the audit predicts for this client. */
export function comparePastedToken(
  audit: ClientAudit,
  payload: Record<string, unknown>,
  context: TokenCheckContext,
): PastedTokenResult {
  const aud = audValues(payload.aud);
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  const requestedOptionalScopes = context.optionalScopes.filter((scope) => scopes.includes(scope));
  const hidden = new Set(context.scopesHiddenFromScopeClaim);

  const requested: ScopeAudience[] = [];
  const uncertain: ScopeAudience[] = [];
  for (const { value, container } of audit.conditionalAudiences) {
    const entry = { value, scope: container.name };
    if (container.applies === 'optional' && requestedOptionalScopes.includes(container.name)) requested.push(entry);
    else if (container.applies === 'role-restricted' || hidden.has(container.name)) uncertain.push(entry);
  }

  const expected = new Set([...audit.audiences, ...requested.map(({ value }) => value)]);
  const present = new Set(aud);
  const expectedButAbsent = [...expected].filter((value) => !present.has(value)).sort();
  const expectedAndPresent = aud.filter((value) => audit.audiences.includes(value));
  const conditionalPresent = [...requested, ...uncertain].filter(({ value }) => present.has(value));
  const explained = new Set([...expected, ...uncertain.map(({ value }) => value)]);
  const rest = aud.filter((value) => !explained.has(value));
  // The audience resolve mapper adds clients the user has roles of, never the client itself.
  const possiblyFromRoles = audit.roleAudiences ? rest.filter((value) => value !== audit.clientId) : [];
  const unexpected = rest.filter((value) => !possiblyFromRoles.includes(value));

  const ownInToken = present.has(audit.clientId);
  let ownPredicted: boolean | undefined;
  if (!NO_PREDICTION.includes(audit.verdict)) {
    if (expected.has(audit.clientId)) ownPredicted = true;
    else if (!uncertain.some(({ value }) => value === audit.clientId)) ownPredicted = false;
  }

  const exp = typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
  const expiresAt = exp === undefined ? undefined : new Date(exp * 1000);
  const issuer = typeof payload.iss === 'string' ? payload.iss : undefined;
  const issuerRealm = issuer === undefined ? undefined : realmOfIssuer(issuer);
  const type = typeof payload.typ === 'string' ? payload.typ : undefined;
  const azp = typeof payload.azp === 'string' ? payload.azp : undefined;

  return {
    ok: true,
    clientId: audit.clientId,
    type,
    notAnAccessToken: type !== undefined && type !== 'Bearer',
    azp,
    azpMatches: azp === audit.clientId,
    aud,
    ownInToken,
    ownPredicted,
    ownAgrees: ownPredicted === undefined ? undefined : ownPredicted === ownInToken,
    expectedButAbsent,
    expectedAndPresent,
    conditionalPresent,
    possiblyFromRoles,
    unexpected,
    scopes,
    requestedOptionalScopes,
    explainedByRequestedScopes: requested,
    expiresAt,
    expired: expiresAt === undefined ? undefined : expiresAt.getTime() <= context.now.getTime(),
    issuer,
    issuerRealm,
    issuerMatches: issuerRealm === undefined ? undefined : issuerRealm === context.realm,
    blindSpots: audit.exampleBlindSpots,
  };
}

/** Decodes pasted text and compares it with the prediction, or says why it cannot be read. */
export function checkPastedToken(
  audit: ClientAudit,
  input: string,
  context: TokenCheckContext,
): PastedTokenResult | TokenReadError {
  const decoded = decodePastedToken(input);
  return decoded.ok ? comparePastedToken(audit, decoded.payload, context) : decoded;
}
