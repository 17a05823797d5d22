import { parseArgs } from 'node:util';
import { obtainDistribution } from './distribution.ts';
import { ensureKeycloak } from './harness.ts';
import { stopServer } from './server.ts';
import { MATRIX_KEYCLOAK_VERSIONS, PINNED_KEYCLOAK_VERSION, readSettings } from './settings.ts';

const usage = `usage: tsx e2e/keycloak/cli.ts <command> [--keep-data] [--all]
  start      start Keycloak (or reuse KEYCLOAK_URL / a running one) and import the demo realms
  stop       stop the Keycloak that "start" started
  fetch      only download and unpack the Keycloak distribution (KEYCLOAK_VERSION, or the pinned one);
             with --all, the pinned one and every version of the matrix`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'keep-data': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const settings = readSettings();
  if (values['keep-data']) settings.keepData = true;
  const [command] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  switch (command) {
    case 'start': {
      const handle = await ensureKeycloak(settings);
      console.log(`Keycloak: ${handle.url}  (admin console: ${handle.url}/admin/, ${settings.adminUsername} / ****)`);
      return;
    }
    case 'stop':
      if (!(await stopServer(settings))) console.log('no Keycloak started by this harness is running');
      return;
    case 'fetch': {
      if (!values.all) {
        console.log(obtainDistribution(settings));
        return;
      }
      if (settings.keycloakHome) throw new Error('fetch --all downloads distributions; unset KEYCLOAK_HOME');
      // In order, and the first failure ends the command: a version that cannot be fetched fails CI.
      for (const version of [PINNED_KEYCLOAK_VERSION, ...MATRIX_KEYCLOAK_VERSIONS]) {
        console.log(obtainDistribution({ ...settings, version }));
      }
      return;
    }
    default:
      throw new Error(`unknown command "${command}"\n${usage}`);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
