import { obtainDistribution } from './distribution.ts';
import { importFixtures } from './fixtures.ts';
import { runningServer, startServer, stopServer } from './server.ts';
import { type HarnessSettings, log, readSettings, serverUrl } from './settings.ts';

export interface KeycloakHandle {
  url: string;
  /** True when this call started the server, so the caller should stop it. */
  startedHere: boolean;
}

/**
 * One Keycloak with fresh fixtures: the server at KEYCLOAK_URL, a server that `keycloak:start`
 * left running, or a new one.
 */
export async function ensureKeycloak(settings: HarnessSettings = readSettings()): Promise<KeycloakHandle> {
  const { adminUsername, adminPassword } = settings;
  if (settings.externalUrl) {
    log(`using the running server at ${settings.externalUrl}`);
    await importFixtures(settings.externalUrl, adminUsername, adminPassword);
    return { url: settings.externalUrl, startedHere: false };
  }
  const running = await runningServer(settings);
  if (running) {
    const wanted = serverUrl(settings);
    const otherHome = settings.keycloakHome !== undefined && settings.keycloakHome !== running.home;
    const otherPorts = running.managementPort !== null && running.managementPort !== settings.managementPort;
    if (running.url !== wanted || otherPorts || otherHome) {
      throw new Error(
        `Keycloak ${running.version} started by this harness already runs at ${running.url} from ${running.home} (pid ${running.pid}); ` +
          'stop it with "npm run keycloak:stop" before starting one with other settings',
      );
    }
    log(`reusing Keycloak ${running.version} (pid ${running.pid}) at ${running.url}`);
    await importFixtures(running.url, adminUsername, adminPassword);
    return { url: running.url, startedHere: false };
  }
  const state = await startServer(settings, obtainDistribution(settings));
  try {
    await importFixtures(state.url, adminUsername, adminPassword);
  } catch (error) {
    await stopServer(settings);
    throw error;
  }
  return { url: state.url, startedHere: true };
}
