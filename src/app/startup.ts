import { loadConfig } from '../config/config.ts';
import { createAdminClient } from '../keycloak/admin.ts';
import { appUrl, SignInError, signIn } from '../keycloak/auth.ts';
import { preloadReader } from '../keycloak/preload.ts';
import { type ProbeResult, probeKeycloak } from '../keycloak/probe.ts';
import type { Session } from '../keycloak/session-context.tsx';
import { configProblem, probeProblem, type StartupProblem, signInProblem } from './startup-problems.ts';

class ProbeFailed extends Error {
  constructor(readonly result: Exclude<ProbeResult, { kind: 'ok' }>) {
    super(result.kind);
  }
}

export type StartupResult = { kind: 'ready'; session: Session } | { kind: 'problem'; problem: StartupProblem };

/** config.json → probe and keycloak-js sign-in → admin client. Any failure becomes a full-page explanation. */
export async function startUp(): Promise<StartupResult> {
  preloadReader();
  const loaded = await loadConfig(new URL('config.json', document.baseURI));
  if (!loaded.ok) return { kind: 'problem', problem: configProblem(loaded.problem) };
  const { config } = loaded;

  // The probe and the code exchange of a return from Keycloak go at once; only the way to the login page
  // waits for the probe, and a failed sign-in asks it whether Keycloak answers at all. Waited for on the way
  // back, the probe put the first Admin API request about 45 ms later (median of 9 sign-ins each way).
  const probe = probeKeycloak(config);
  try {
    const auth = await signIn(config, {
      beforeLeaving: async () => {
        const result = await probe;
        if (result.kind !== 'ok') throw new ProbeFailed(result);
      },
    });
    const admin = await createAdminClient(config, auth);
    return { kind: 'ready', session: { config, auth, admin } };
  } catch (error) {
    if (error instanceof ProbeFailed) return { kind: 'problem', problem: probeProblem(error.result) };
    if (error instanceof SignInError) {
      const result = await probe;
      if (result.kind !== 'ok') return { kind: 'problem', problem: probeProblem(result) };
      const page = { url: appUrl(), origin: window.location.origin };
      return { kind: 'problem', problem: signInProblem(error.message, config.clientId, config.realm, page) };
    }
    throw error;
  }
}
