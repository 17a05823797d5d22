import { createServer } from 'vite';
import { ensureKeycloak } from '../e2e/keycloak/harness.ts';
import { stopServer } from '../e2e/keycloak/server.ts';
import { readSettings, repoRoot } from '../e2e/keycloak/settings.ts';
import { demoUser } from '../e2e/support/demo.ts';

/** `npm run demo`: a local Keycloak with the demo realms, and the dashboard's dev server against it. */
async function main(): Promise<void> {
  const settings = readSettings();
  const keycloak = await ensureKeycloak(settings);
  const vite = await createServer({ root: repoRoot, logLevel: 'warn' });
  await vite.listen();

  const appUrl = 'http://localhost:5173/';
  const users = [
    ['realm-admin', 'admin of realm demo: view-clients, view-users, view-realm, manage-clients'],
    ['auditor', 'may view clients and users, not change them'],
    ['alice', 'no admin roles at all'],
  ] as const;
  const lines = [
    '',
    'Audience Doctor demo is running',
    `  Dashboard   ${appUrl}   (signs in to realm "demo", see public/config.json)`,
    `  Keycloak    ${keycloak.url}/admin/   (${settings.adminUsername} / ${settings.adminPassword})`,
    '',
    '  Demo users of realm "demo":',
    ...users.map(
      ([username, role]) => `    ${username.padEnd(12)} password ${demoUser(username).password.padEnd(6)} ${role}`,
    ),
    `    master-admin (realm master) password ${demoUser('master-admin', 'master-additions.json').password}: admin of demo and demo-2`,
    '',
    keycloak.startedHere ? '  Ctrl+C stops the dashboard and Keycloak.' : '  Ctrl+C stops the dashboard.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await vite.close();
    if (keycloak.startedHere) await stopServer(settings);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
