import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { expect, test } from '@playwright/test';
import { auditRealm } from '../src/audit/audit-realm.ts';
import { type AuditSoFar, readAudited } from '../src/keycloak/audited-read.ts';
import { readSettings } from './keycloak/settings.ts';
import { adminClientAs, keycloakUrl, masterAdmin } from './support/admin-api.ts';
import { startHoldingProxy } from './support/holding-proxy.ts';

/**
 * The audit made while the pages arrive (src/keycloak/audited-read.ts) against a real Keycloak: the clients of
 * page one are judged while the later pages wait at a proxy, those whose verdict depends on a later page wait
 * for it, and the audit at the end is the one a whole snapshot gives.
 */

const REALM = 'audited-read';
const PAGE_SIZE = 8;
const STEP = PAGE_SIZE - 1;

const audienceMapper = (name: string, audience: string) => ({
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.client.audience': audience, 'access.token.claim': 'true' },
});

/**
 * Clients sort by clientId (account, account-console, admin-cli come first, then a-…), so page one holds the
 * a- clients, whose audience mappers name clients that only later pages bring: an enabled one, a disabled one
 * and one that does not exist (what those two add depends on the version: VERSION_RULES.inactiveAudienceDropped).
 */
const CLIENTS: ClientRepresentation[] = [
  { clientId: 'a-names-later-api', protocolMappers: [audienceMapper('later', 'z-api')] },
  { clientId: 'a-names-disabled-api', protocolMappers: [audienceMapper('disabled', 'z-disabled-api')] },
  { clientId: 'a-names-missing-api', protocolMappers: [audienceMapper('missing', 'z-missing-api')] },
  { clientId: 'a-names-itself', protocolMappers: [audienceMapper('self', 'a-names-itself')] },
  { clientId: 'a-plain' },
  ...Array.from({ length: 12 }, (_, index) => ({ clientId: `m-filler-${String(index).padStart(2, '0')}` })),
  { clientId: 'z-api', bearerOnly: true },
  { clientId: 'z-disabled-api', bearerOnly: true, enabled: false },
].map((client) => ({ publicClient: true, directAccessGrantsEnabled: true, ...client }));

test('clients are judged while later pages wait, and the audit at the end is the whole snapshot’s', async () => {
  test.setTimeout(90_000);
  const admin = await masterAdmin();
  if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
  await admin.realms.create({ realm: REALM, enabled: true, clients: CLIENTS });
  const isLaterPage = (method: string, url: URL) =>
    method === 'GET' &&
    url.pathname.replace(/\/$/, '') === `/admin/realms/${REALM}/clients` &&
    Number(url.searchParams.get('first')) >= STEP;
  const proxy = await startHoldingProxy(keycloakUrl(), { hold: ({ method, url }) => isLaterPage(method, url) });
  try {
    const settings = readSettings();
    const reader = await adminClientAs(settings.adminUsername, settings.adminPassword, 'master', proxy.url);
    const seen: AuditSoFar[] = [];
    let pageOneJudged: () => void = () => {};
    const judged = new Promise<void>((resolve) => {
      pageOneJudged = resolve;
    });
    const reading = readAudited(reader, REALM, {
      pageSize: PAGE_SIZE,
      concurrency: 2,
      intervalMs: 0,
      onAudit: (progress) => {
        seen.push(progress);
        if (progress.snapshot.clients.length >= PAGE_SIZE) pageOneJudged();
      },
    });
    reading.catch(() => undefined);
    await judged;
    await proxy.waitForHeld(2);

    // Page one only: its verdicts are there, and those that name a client not read yet say they wait for it.
    const early = seen.at(-1) as AuditSoFar;
    expect(early.snapshot.clients).toHaveLength(PAGE_SIZE);
    const byClientId = new Map(early.snapshot.clients.map((client) => [client.clientId, client.id]));
    const waitingFor = (clientId: string) => early.waiting.get(byClientId.get(clientId) ?? '');
    for (const clientId of ['a-names-later-api', 'a-names-disabled-api', 'a-names-missing-api']) {
      expect(waitingFor(clientId), clientId).toContain('other clients');
    }
    expect(waitingFor('a-names-itself')).toBeUndefined();
    expect(waitingFor('a-plain')).toBeUndefined();
    expect(early.audit.clients.map((client) => client.clientId)).toContain('a-names-itself');

    proxy.release();
    const { snapshot, audit } = await reading;
    expect(snapshot.clients.map((client) => client.clientId)).toEqual(
      expect.arrayContaining(CLIENTS.map((client) => client.clientId)),
    );
    // The verdicts kept from page one and the ones made at the end are what one audit of the whole realm gives.
    expect(audit).toEqual(auditRealm(snapshot));
    const verdictOf = (clientId: string) => audit.clients.find((client) => client.clientId === clientId)?.audiences;
    expect(verdictOf('a-names-later-api')).toContain('z-api');
  } finally {
    await proxy.close();
    if (await admin.realms.findOne({ realm: REALM })) await admin.realms.del({ realm: REALM });
  }
});
