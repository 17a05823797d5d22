import { loadConfig } from '../config/config.ts';
import { createAdminClient } from '../keycloak/admin.ts';
import { appUrl, SignInError, signIn } from '../keycloak/auth.ts';
import { preloadReader } from '../keycloak/preload.ts';
import { probeKeycloak } from '../keycloak/probe.ts';
import type { Session } from '../keycloak/session-context.tsx';
import { configProblem, probeProblem, type StartupProblem, signInProblem } from './startup-problems.ts';

export type StartupResult = { kind: 'ready'; session: Session } | { kind: 'problem'; problem: StartupProblem };

/** config.json → probe → keycloak-js sign-in → admin client. Any failure becomes a full-page explanation. */
export async function startUp(): Promise<StartupResult> {
  preloadReader();
  const loaded = await loadConfig(new URL('config.json', document.baseURI));
  if (!loaded.ok) return { kind: 'problem', problem: configProblem(loaded.problem) };
  const { config } = loaded;

  const probe = await probeKeycloak(config);
  if (probe.kind !== 'ok') return { kind: 'problem', problem: probeProblem(probe) };

  try {
    const auth = await signIn(config);
    const admin = await createAdminClient(config, auth);
    return { kind: 'ready', session: { config, auth, admin } };
  } catch (error) {
    if (error instanceof SignInError) {
      const page = { url: appUrl(), origin: window.location.origin };
      return { kind: 'problem', problem: signInProblem(error.message, config.clientId, config.realm, page) };
    }
    throw error;
  }
}
