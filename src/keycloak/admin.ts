import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { AppConfig } from '../config/config.ts';
import type { Auth } from './auth.ts';
import { recoverSessionWith } from './errors.ts';

export type AdminClient = KeycloakAdminClient;

/**
 * The one admin client of the app. Loaded after sign-in to keep it out of the first paint;
 * the token provider refreshes through keycloak-js, so no copy of the token is kept here, and a
 * refused token is renewed (or the admin signed in again) by the session it belongs to.
 * Callers pass `{ realm }` on every call instead of switching a global realm.
 */
export async function createAdminClient(config: AppConfig, auth: Auth): Promise<AdminClient> {
  const { default: KcAdminClient } = await import('@keycloak/keycloak-admin-client');
  const client = new KcAdminClient({ baseUrl: config.keycloakUrl, realmName: config.realm });
  client.registerTokenProvider({ getAccessToken: () => auth.accessToken() });
  recoverSessionWith(auth);
  return client;
}
