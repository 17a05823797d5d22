/** Links into the Keycloak admin console, which is opened through the realm the admin signed in to. */
export function consoleLinks(consoleUrl: string, loginRealm: string, realm: string, clientUuid: string) {
  const base = `${consoleUrl.replace(/\/+$/, '')}/${encodeURIComponent(loginRealm)}/console/#/${encodeURIComponent(realm)}/clients/${encodeURIComponent(clientUuid)}`;
  return {
    settings: `${base}/settings`,
    clientScopes: `${base}/clientScopes`,
    dedicatedScope: `${base}/clientScopes/dedicated`,
  };
}
