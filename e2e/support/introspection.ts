import { expect } from '@playwright/test';
import { keycloakUrl } from './admin-api.ts';

/** Keycloak's own token introspection, as the confidential client `clientId` calls it: whether it says active. */
export async function introspectedActive(realm: string, clientId: string, secret: string, token: string) {
  const response = await fetch(`${keycloakUrl()}/realms/${realm}/protocol/openid-connect/token/introspect`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${clientId}:${secret}`)}` },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  expect(response.status, `${clientId} introspecting`).toBe(200);
  return ((await response.json()) as { active?: boolean }).active === true;
}
