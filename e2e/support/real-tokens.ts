import { createHash, randomBytes } from 'node:crypto';
import { fieldNames, type HtmlForm, pageHeading, pageMessage, parseForms, showsError } from './html-form.ts';

/**
 * Real tokens from Keycloak's token endpoint, got the way a client gets them. The evaluate endpoint's
 * example tokens skip client policies, grant and consent checks and token post-processors, so a test that
 * must say what a client's token really carries asks for one here.
 */

export type Grant = 'authorization_code' | 'implicit' | 'password' | 'client_credentials' | 'device_code';

export interface TokenRequest {
  /** Keycloak's URL, such as http://localhost:8080: only loopback servers are spoken to. */
  baseUrl: string;
  realm: string;
  clientId: string;
  /** For confidential clients. */
  clientSecret?: string;
  /** How the secret is sent; Keycloak's client-secret authenticator takes either. Default: basic. */
  clientAuth?: 'client_secret_basic' | 'client_secret_post';
  /** Requested scopes besides `openid`, which is always sent first. */
  scope?: string[];
  /** The signing-in user, for the code, implicit, password and device grants. */
  user?: { username: string; password: string };
  /** For the code and implicit grants: one of the client's redirect URIs. */
  redirectUri?: string;
  /** More request parameters (resource, audience, prompt…), sent to the first endpoint of the grant. */
  extra?: Record<string, string>;
  /** Per HTTP request; default 15 s. */
  timeoutMs?: number;
  /** Told each request and its answer, to see which pages a flow went through. */
  trace?: (line: string) => void;
}

export type TokenOutcome =
  | { kind: 'token'; grant: Grant; accessToken: string; claims: Record<string, unknown> }
  | {
      kind: 'refused';
      grant: Grant;
      /** Where Keycloak said no: authorization, login, consent, device_authorization, verification, token. */
      stage: string;
      status: number;
      /** The OAuth error code, or for a page: `login_failed` (sign-in shown again) or `error_page`. */
      error: string;
      /** Keycloak's error_description, or the message the page showed. */
      description?: string;
    };

type Refusal = Extract<TokenOutcome, { kind: 'refused' }>;

const MAX_PAGE_STEPS = 12;
const MAX_DEVICE_POLLING_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function audOf(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}

/** The JWT's payload, unverified: the test talks to its own server. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) throw new Error('The access token is not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

export async function requestToken(grant: Grant, request: TokenRequest): Promise<TokenOutcome> {
  const session = new KeycloakSession(request);
  switch (grant) {
    case 'authorization_code':
      return authorizationCode(session);
    case 'implicit':
      return implicit(session);
    case 'password':
      return session.tokenRequest(grant, {
        grant_type: 'password',
        username: requireUser(request, grant).username,
        password: requireUser(request, grant).password,
        scope: scopeParameter(request),
        ...request.extra,
      });
    case 'client_credentials':
      return session.tokenRequest(grant, {
        grant_type: 'client_credentials',
        scope: scopeParameter(request),
        ...request.extra,
      });
    case 'device_code':
      return deviceCode(session);
  }
}

const scopeParameter = (request: TokenRequest) => ['openid', ...(request.scope ?? [])].join(' ');

function requireUser(request: TokenRequest, grant: Grant) {
  if (!request.user) throw new Error(`The ${grant} grant needs a user`);
  return request.user;
}

function requireRedirectUri(request: TokenRequest, grant: Grant) {
  if (!request.redirectUri) throw new Error(`The ${grant} grant needs one of the client's redirect URIs`);
  return request.redirectUri;
}

const randomToken = () => randomBytes(32).toString('base64url');

async function authorizationCode(session: KeycloakSession): Promise<TokenOutcome> {
  const { request } = session;
  const grant: Grant = 'authorization_code';
  const redirectUri = requireRedirectUri(request, grant);
  const verifier = randomToken();
  const state = randomToken();
  const authorization = session.authorizationUrl({
    response_type: 'code',
    redirect_uri: redirectUri,
    state,
    nonce: randomToken(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const landed = await session.browse(grant, authorization, redirectUri);
  if ('kind' in landed) return landed;
  if (!landed.redirect) throw new Error(`Keycloak never redirected to ${redirectUri}`);
  const answer = landed.redirect.searchParams;
  const answerRefusal = redirectRefusal(grant, answer);
  if (answerRefusal) return answerRefusal;
  if (answer.get('state') !== state) throw new Error('Keycloak answered with another state');
  const code = answer.get('code');
  if (!code) throw new Error(`Keycloak redirected to ${redirectUri} with neither a code nor an error`);
  return session.tokenRequest(grant, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
}

async function implicit(session: KeycloakSession): Promise<TokenOutcome> {
  const { request } = session;
  const grant: Grant = 'implicit';
  const redirectUri = requireRedirectUri(request, grant);
  const state = randomToken();
  const authorization = session.authorizationUrl({
    response_type: 'token',
    redirect_uri: redirectUri,
    state,
    nonce: randomToken(),
  });
  const landed = await session.browse(grant, authorization, redirectUri);
  if ('kind' in landed) return landed;
  if (!landed.redirect) throw new Error(`Keycloak never redirected to ${redirectUri}`);
  // The implicit answer is in the fragment; errors may come in the query or the fragment.
  const answer = new URLSearchParams(landed.redirect.hash.replace(/^#/, ''));
  const answerRefusal = redirectRefusal(grant, answer) ?? redirectRefusal(grant, landed.redirect.searchParams);
  if (answerRefusal) return answerRefusal;
  if (answer.get('state') !== state) throw new Error('Keycloak answered with another state');
  const accessToken = answer.get('access_token');
  if (!accessToken) throw new Error(`Keycloak redirected to ${redirectUri} with neither a token nor an error`);
  return { kind: 'token', grant, accessToken, claims: decodeJwtPayload(accessToken) };
}

function redirectRefusal(grant: Grant, answer: URLSearchParams): Refusal | undefined {
  const error = answer.get('error');
  if (!error) return undefined;
  return {
    kind: 'refused',
    grant,
    stage: 'authorization',
    status: 302,
    error,
    description: answer.get('error_description') ?? undefined,
  };
}

interface DeviceAuthorization {
  device_code: string;
  verification_uri_complete?: string;
  verification_uri: string;
  user_code: string;
  expires_in: number;
  interval?: number;
}

async function deviceCode(session: KeycloakSession): Promise<TokenOutcome> {
  const { request } = session;
  const grant: Grant = 'device_code';
  requireUser(request, grant);
  const started = await session.clientPost(grant, 'device_authorization', `${session.oidcUrl}/auth/device`, {
    scope: scopeParameter(request),
    ...request.extra,
  });
  if ('kind' in started) return started;
  const device = started.body as unknown as DeviceAuthorization;
  const verification =
    device.verification_uri_complete ?? `${device.verification_uri}?user_code=${encodeURIComponent(device.user_code)}`;
  // DeviceEndpoint ends a confirmed verification on a page of its own, not at a redirect URI.
  const confirmed = await session.browse(grant, verification, undefined);
  if ('kind' in confirmed)
    return { ...confirmed, stage: confirmed.stage === 'authorization' ? 'verification' : confirmed.stage };

  let intervalMs = (device.interval ?? 5) * 1000;
  const deadline = Date.now() + Math.min(MAX_DEVICE_POLLING_MS, device.expires_in * 1000);
  for (;;) {
    const outcome = await session.tokenRequest(grant, {
      grant_type: DEVICE_CODE_GRANT,
      device_code: device.device_code,
    });
    if (outcome.kind === 'token') return outcome;
    // RFC 8628 3.5: keep polling while pending; slow_down adds 5 s to the interval.
    if (outcome.error !== 'authorization_pending' && outcome.error !== 'slow_down') return outcome;
    if (outcome.error === 'slow_down') intervalMs += 5000;
    if (Date.now() + intervalMs > deadline)
      return { ...outcome, stage: 'token', description: `${outcome.description ?? outcome.error} (gave up polling)` };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Where a walk through Keycloak's pages ended: at the redirect URI, or on a final page of Keycloak's. */
interface Landing {
  redirect?: URL;
}

interface Page {
  response: Response;
  /** With redirect: 'manual' a Response does not say which URL it answers. */
  url: string;
}

/** One user agent: a cookie jar and bounded, same-server requests. */
class KeycloakSession {
  readonly oidcUrl: string;
  private readonly origin: string;
  private readonly cookies = new Map<string, string>();

  constructor(readonly request: TokenRequest) {
    const base = new URL(request.baseUrl);
    if (!LOOPBACK_HOSTS.has(base.hostname)) throw new Error(`Only a loopback Keycloak is spoken to, not ${base.host}`);
    this.origin = base.origin;
    this.oidcUrl = `${request.baseUrl.replace(/\/+$/, '')}/realms/${encodeURIComponent(request.realm)}/protocol/openid-connect`;
  }

  authorizationUrl(parameters: Record<string, string>): string {
    const url = new URL(`${this.oidcUrl}/auth`);
    const all = {
      client_id: this.request.clientId,
      scope: scopeParameter(this.request),
      ...parameters,
      ...this.request.extra,
    };
    for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
    return url.href;
  }

  /**
   * Walks Keycloak's pages as the user: signs in once, accepts a consent or device grant page, follows
   * redirects until one goes to `redirectUri` (not fetched) or, with no redirect URI, until a page has
   * nothing left to submit (the device grant's success page).
   */
  async browse(grant: Grant, startUrl: string, redirectUri: string | undefined): Promise<Landing | Refusal> {
    let page = await this.fetch(startUrl, { method: 'GET' });
    let signedIn = false;
    let stage = 'authorization';
    const answered = new Set<string>();
    for (let step = 0; step < MAX_PAGE_STEPS; step++) {
      const { response, url } = page;
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        if (!location) throw new Error(`Keycloak answered ${response.status} without a Location`);
        const target = new URL(location, url);
        if (redirectUri && isRedirectTo(target, redirectUri)) return { redirect: target };
        page = await this.fetch(target.href, { method: 'GET' });
        continue;
      }
      const html = await response.text();
      const forms = parseForms(html);
      this.request.trace?.(
        `  page ${pageHeading(html) ?? '(untitled)'}: forms ${forms.map((form) => fieldNames(form).join(',')).join(' | ')}`,
      );
      const login = forms.find(
        (form) => fieldNames(form).includes('username') && fieldNames(form).includes('password'),
      );
      if (login) {
        if (signedIn) return pageRefusal(grant, 'login', response.status, 'login_failed', html);
        const user = requireUser(this.request, grant);
        signedIn = true;
        stage = 'login';
        page = await this.submit(login, { username: user.username, password: user.password }, undefined, url);
        continue;
      }
      // Consent (login/login-oauth-grant.ftl) and the device grant's code and consent pages: accept.
      const acceptable = forms.find(
        (form) => form.method === 'post' && form.submits.some((submit) => submit.name === 'accept'),
      );
      const deviceCodeForm = forms.find((form) => fieldNames(form).includes('device_user_code'));
      if (acceptable && !answered.has(acceptable.action)) {
        answered.add(acceptable.action);
        stage = 'consent';
        page = await this.submit(acceptable, {}, 'accept', url);
        continue;
      }
      if (deviceCodeForm && !answered.has(deviceCodeForm.action)) {
        answered.add(deviceCodeForm.action);
        stage = 'verification';
        page = await this.submit(deviceCodeForm, {}, undefined, url);
        continue;
      }
      if (response.ok && !redirectUri && !showsError(html)) return {};
      return pageRefusal(grant, stage, response.status, 'error_page', html);
    }
    throw new Error(`Keycloak's pages did not end within ${MAX_PAGE_STEPS} steps`);
  }

  /** A POST to the token endpoint, with the client's credentials. */
  async tokenRequest(grant: Grant, parameters: Record<string, string>): Promise<TokenOutcome> {
    const answer = await this.clientPost(grant, 'token', `${this.oidcUrl}/token`, parameters);
    if ('kind' in answer) return answer;
    const accessToken = answer.body.access_token;
    if (typeof accessToken !== 'string') throw new Error('The token endpoint answered without an access_token');
    return { kind: 'token', grant, accessToken, claims: decodeJwtPayload(accessToken) };
  }

  /** A form POST as the client; a 4xx answer with an OAuth error is Keycloak refusing. */
  async clientPost(
    grant: Grant,
    stage: string,
    url: string,
    parameters: Record<string, string>,
  ): Promise<Refusal | { body: Record<string, unknown> }> {
    const { clientId, clientSecret, clientAuth = 'client_secret_basic' } = this.request;
    const form = new URLSearchParams(parameters);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (clientSecret !== undefined && clientAuth === 'client_secret_basic') {
      // RFC 6749 2.3.1: each part form-encoded before base64.
      const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      if (clientSecret !== undefined) form.set('client_secret', clientSecret);
    }
    const { response } = await this.fetch(url, { method: 'POST', headers, body: form.toString() });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${url} answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
    }
    if (response.ok) return { body };
    if (typeof body.error !== 'string')
      throw new Error(`${url} answered ${response.status} without an error: ${text.slice(0, 200)}`);
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    return { kind: 'refused', grant, stage, status: response.status, error: body.error, description };
  }

  private submit(form: HtmlForm, values: Record<string, string>, clicked: string | undefined, pageUrl: string) {
    const body = new URLSearchParams();
    for (const field of form.fields) body.append(field.name, values[field.name] ?? field.value);
    for (const [name, value] of Object.entries(values)) if (!body.has(name)) body.append(name, value);
    const button = form.submits.find((submit) => submit.name === clicked);
    if (button) body.append(button.name, button.value);
    const action = new URL(form.action || pageUrl, pageUrl).href;
    if (form.method === 'get') {
      const url = new URL(action);
      for (const [name, value] of body) url.searchParams.set(name, value);
      return this.fetch(url.href, { method: 'GET' });
    }
    return this.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  private async fetch(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<Page> {
    const target = new URL(url);
    if (target.origin !== this.origin)
      throw new Error(`Refusing to follow Keycloak off ${this.origin}, to ${target.origin}`);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(target, {
      ...init,
      // Keycloak renders its error pages as JSON for a client that accepts JSON.
      headers: { accept: 'text/html', ...init.headers, ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
      signal: AbortSignal.timeout(this.request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    this.keepCookies(response);
    const location = response.headers.get('location');
    this.request.trace?.(`${init.method} ${target.pathname} → ${response.status}${location ? ` ${location}` : ''}`);
    return { response, url: target.href };
  }

  /** One server and one realm per session, so names are enough: paths and domains are not kept apart. */
  private keepCookies(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, attributeValue = ''] = attribute.split('=').map((part) => part.trim().toLowerCase());
        return (
          (key === 'max-age' && Number(attributeValue) <= 0) ||
          (key === 'expires' && Date.parse(attributeValue) < Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const formEncode = (text: string) => new URLSearchParams({ x: text }).toString().slice(2);

function isRedirectTo(target: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  return target.origin === expected.origin && target.pathname === expected.pathname;
}

function pageRefusal(grant: Grant, stage: string, status: number, error: string, html: string): Refusal {
  return { kind: 'refused', grant, stage, status, error, description: pageMessage(html) ?? pageHeading(html) };
}
