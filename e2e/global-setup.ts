import { ensureKeycloak } from './keycloak/harness.ts';
import { stopServer } from './keycloak/server.ts';
import { readSettings } from './keycloak/settings.ts';

/** One Keycloak for the whole run, with fresh fixtures; stopped afterwards only if started here. */
export default async function globalSetup() {
  const settings = readSettings();
  const keycloak = await ensureKeycloak(settings);
  return async () => {
    if (keycloak.startedHere) await stopServer(settings);
  };
}
