import Keycloak from 'keycloak-js';
import type { AppConfig } from '../config/config.ts';
import type { SessionRecovery } from './errors.ts';

export interface SignedInUser {
  /** The user's id in the realm they signed in to. */
  id: string | undefined;
  username: string;
  displayName: string;
  email: string | undefined;
  /** The realm the user signed in to (master for cross-realm admins). */
  realm: string;
}

/** The signed-in session. Tokens stay inside keycloak-js, in memory; nothing here stores them. */
export interface Auth extends SessionRecovery {
  user: SignedInUser;
  /** A token valid for at least 30 more seconds; signs in again when the session is gone. */
  accessToken(): Promise<string>;
  /**
   * The client roles of a freshly refreshed token: the Admin API reads roles from the token, so a role
   * granted or revoked since sign-in counts only after a refresh.
   */
  freshResourceAccess(): Promise<Record<string, { roles?: string[] }>>;
  /** Refreshes now, so that a run starts with a token of full lifetime. */
  refreshForRun(): Promise<void>;
  /**
   * While `busy()` says so, a session that cannot be refreshed fails the request instead of leaving
   * for the login page: a run in progress must be able to stop and report first.
   */
  holdSignInWhile(busy: () => boolean): void;
  signOut(): Promise<void>;
}

export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

/** How old a token may be for its roles to count as current. */
const FRESH_ROLES_SECONDS = 10;

// The hash route does not survive the round trip through Keycloak's login page, so it is parked here.
const RETURN_ROUTE_KEY = 'audience-doctor.return-route';

/** The app's own URL without query and hash: exactly what the client's redirect URIs list. */
export function appUrl(location: Location = window.location): string {
  return `${location.origin}${location.pathname}`;
}

function describeInitError(error: unknown): string {
  if (error && typeof error === 'object') {
    const record = error as Record<string, unknown>;
    const text = record.error_description ?? record.error ?? record.message;
    if (typeof text === 'string' && text) return text;
  }
  return 'keycloak-js could not complete the sign-in';
}

export interface SignInOptions {
  /**
   * Runs before the page leaves for Keycloak's login page, and may stop it by throwing. It is not waited for
   * on the way back with a code: the code exchange tells whether Keycloak answers.
   */
  beforeLeaving?: () => Promise<void>;
}

/** Signs in with PKCE; resolves only once a user is signed in, else leaves for the login page. */
export async function signIn(config: AppConfig, options: SignInOptions = {}): Promise<Auth> {
  const keycloak = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.clientId });
  const query = new URLSearchParams(window.location.search);
  const returningFromKeycloak = query.has('state') || query.has('error');
  if (!returningFromKeycloak && window.location.hash.length > 1) {
    sessionStorage.setItem(RETURN_ROUTE_KEY, window.location.hash);
  }

  // Keep the session alive while the page is open; requests refresh on their own as well.
  keycloak.onTokenExpired = () => {
    keycloak.updateToken(30).catch(() => undefined);
  };

  let authenticated: boolean;
  try {
    // No onLoad: keycloak-js then exchanges a code it finds and leaves the login redirect to us, so that the
    // check before it (options.beforeLeaving) stays off the way back (keycloak-js 26 Keycloak#processInit).
    authenticated = await keycloak.init({
      pkceMethod: 'S256',
      checkLoginIframe: false,
      responseMode: 'query',
      redirectUri: appUrl(),
    });
  } catch (error) {
    throw new SignInError(describeInitError(error));
  }
  if (!authenticated) {
    const reason = query.get('error_description') ?? query.get('error');
    if (reason) throw new SignInError(reason);
    await options.beforeLeaving?.();
    // Resolves never: the page is leaving.
    return (await keycloak.login()) as never;
  }

  const saved = sessionStorage.getItem(RETURN_ROUTE_KEY);
  sessionStorage.removeItem(RETURN_ROUTE_KEY);
  if (saved && !window.location.hash) window.history.replaceState(null, '', saved);

  const claims = keycloak.tokenParsed ?? {};
  const username = String(claims.preferred_username ?? claims.sub ?? 'unknown user');
  const user: SignedInUser = {
    id: typeof claims.sub === 'string' ? claims.sub : undefined,
    username,
    displayName: typeof claims.name === 'string' && claims.name ? claims.name : username,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    realm: config.realm,
  };

  // From now on the app decides when to leave for the login page (a run in progress may hold it back),
  // not keycloak-js when a refresh is refused.
  keycloak.loginRequired = false;

  let signInHeld = () => false;
  let leaving: Promise<void> | undefined;
  const signInAgain = async () => {
    if (signInHeld()) throw new SignInError('the session has ended; sign in again once the run has stopped');
    // Back on the same screen afterwards; one trip to the login page however many calls were refused.
    if (!leaving && window.location.hash.length > 1) sessionStorage.setItem(RETURN_ROUTE_KEY, window.location.hash);
    leaving ??= keycloak.login();
    await leaving;
  };

  return {
    user,
    async accessToken() {
      try {
        await keycloak.updateToken(30);
      } catch {
        await signInAgain();
      }
      if (!keycloak.token) throw new SignInError('the session has ended; sign in again');
      return keycloak.token;
    },
    async freshResourceAccess() {
      // A token issued a moment ago holds the roles of now: right after sign-in a refresh would only hold
      // back the first read.
      const issuedLocally = (keycloak.tokenParsed?.iat ?? 0) + (keycloak.timeSkew ?? 0);
      const ageSeconds = Date.now() / 1000 - issuedLocally;
      try {
        if (!(ageSeconds >= 0 && ageSeconds < FRESH_ROLES_SECONDS)) await keycloak.updateToken(-1);
      } catch {
        await signInAgain();
      }
      return (keycloak.tokenParsed?.resource_access ?? {}) as Record<string, { roles?: string[] }>;
    },
    async refreshForRun() {
      try {
        await keycloak.updateToken(-1);
      } catch {
        // Still holding a token means Keycloak was not reached: say so rather than leave for an error page.
        if (keycloak.token) throw new SignInError('Keycloak could not be reached to refresh your session');
        await signInAgain();
      }
    },
    async renewToken() {
      try {
        await keycloak.updateToken(-1);
        return true;
      } catch {
        // keycloak-js drops the tokens when Keycloak answers that the session is gone; else it was not reached.
        if (!keycloak.token) await signInAgain();
        return false;
      }
    },
    signInAgain,
    holdSignInWhile(busy) {
      signInHeld = busy;
    },
    signOut: () => keycloak.logout({ redirectUri: appUrl() }),
  };
}
