import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { test } from '@playwright/test';
import { importDemoCopy } from '../keycloak/fixtures.ts';
import { masterAdmin } from './admin-api.ts';

/**
 * A copy of the demo realm named `realm` for the tests of one spec file, driven by the master admin; each test
 * imports a fresh copy with `importCopy`, and the copy is deleted after the file's last test.
 */
export function demoCopyForSpec(realm: string) {
  let admin: KcAdminClient | undefined;
  test.beforeAll(async () => {
    admin = await masterAdmin();
  });
  test.afterAll(async () => {
    await admin?.realms.del({ realm }).catch(() => undefined);
  });
  const adminClient = (): KcAdminClient => {
    if (!admin) throw new Error('the master admin signs in before the first test');
    return admin;
  };
  return {
    admin: adminClient,
    importCopy: () => importDemoCopy(adminClient(), realm),
    /** The copy's client by clientId, with its id known to be set. */
    async clientOf(clientId: string) {
      const [client] = await adminClient().clients.find({ realm, clientId });
      if (!client?.id) throw new Error(`${realm} has no ${clientId}`);
      return { ...client, id: client.id };
    },
  };
}
