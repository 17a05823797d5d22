import { adminClientAs } from '../../e2e/support/admin-api.ts';
import { startBenchKeycloak } from './keycloak.ts';
import { ensureBenchRealm } from './realms.ts';

/**
 * Makes the paging benchmarks' realms ahead of a run and leaves the bench Keycloak running:
 * `tsx scripts/bench/prepare.ts 2000 5000 10000`.
 */
async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error('usage: tsx scripts/bench/prepare.ts <clients> [<clients>…]');
  }
  const keycloak = await startBenchKeycloak();
  const { adminUsername, adminPassword } = keycloak.settings;
  const admin = await adminClientAs(adminUsername, adminPassword, 'master', keycloak.url);
  for (const size of sizes) {
    const result = await ensureBenchRealm(admin, size, (line) => console.log(line));
    console.log(
      `${result.realm}: ${result.imported ? `imported in ${result.importSeconds.toFixed(1)} s` : 'already there'}`,
    );
  }
  console.log(`Keycloak keeps running at ${keycloak.url}`);
}

main().catch((error: unknown) => {
  console.error(`prepare failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
