import { parseArgs } from 'node:util';
import { obtainDistribution } from './distribution.ts';
import { ensureKeycloak } from './harness.ts';
import { stopServer } from './server.ts';
import { readSettings } from './settings.ts';

const usage = `usage: tsx e2e/keycloak/cli.ts <command> [--keep-data]
  start      start Keycloak (or reuse KEYCLOAK_URL / a running one) and import the demo realms
  stop       stop the Keycloak that "start" started
  fetch      only download and unpack the pinned Keycloak distribution`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'keep-data': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
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
    case 'fetch':
      console.log(obtainDistribution(settings));
      return;
    default:
      throw new Error(`unknown command "${command}"\n${usage}`);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
