import type { ClientRep, SnapshotVisibility } from '../audit/index.ts';
import { auditRealm } from '../audit/index.ts';
import { audienceMapperFixture, clientRepFixture } from '../audit/test-fixtures.ts';
import { type RealmReport, type TokenVerification, toRealmReport } from './report.ts';

/** Plain data for the formatter tests: a small realm run through the real engine. */

const audienceMapper = (value: string, accessToken = 'true', name?: string) =>
  audienceMapperFixture(value, { 'access.token.claim': accessToken }, name);
const client = clientRepFixture;

export const SAMPLE_CLIENTS: ClientRep[] = [
  client('orders-web'),
  client('inventory-app', { protocolMappers: [audienceMapper('inventory-app')] }),
  client('payroll-app', { protocolMappers: [audienceMapper('payroll-app', 'false')] }),
  client('two-mappers', {
    protocolMappers: [audienceMapper('two-mappers'), audienceMapper('two-mappers', 'false', 'off')],
  }),
  client('=HYPERLINK("http://evil.example")', {
    protocolMappers: [audienceMapper('=HYPERLINK("http://evil.example")')],
  }),
  client('catalog-api', { bearerOnly: true }),
  client('admin-cli', { publicClient: true, directAccessGrantsEnabled: true, standardFlowEnabled: false }),
];

export function sampleReport(
  options: {
    includeBuiltIn?: boolean;
    keycloakVersion?: string;
    verify?: boolean;
    realm?: string;
    clients?: ClientRep[];
    visibility?: SnapshotVisibility;
  } = {},
): RealmReport {
  const audit = auditRealm({
    realm: options.realm ?? 'demo',
    keycloakVersion: options.keycloakVersion,
    clients: options.clients ?? SAMPLE_CLIENTS,
    clientScopes: [],
    visibility: options.visibility,
    mapperTypes: ['oidc-audience-mapper'],
    scopeRoleRestrictions: {},
    clientPolicies: { policies: [], profiles: [] },
  });
  let verifications: Map<string, TokenVerification | null> | undefined;
  if (options.verify) {
    verifications = new Map(
      audit.clients.map((result) => {
        if (result.verdict === 'not-applicable') return [result.id, null];
        // orders-web's token disagrees on purpose.
        const aud = result.clientId === 'orders-web' ? ['orders-web'] : result.audiences;
        const ownInToken = aud.includes(result.clientId);
        const predicted = result.audiences.includes(result.clientId);
        return [result.id, { user: 'alice', aud, ownInToken, agrees: ownInToken === predicted }];
      }),
    );
  }
  return toRealmReport(audit, {
    includeBuiltIn: options.includeBuiltIn ?? false,
    keycloakVersion: options.keycloakVersion,
    verifications,
  });
}

export const byClientId = (report: RealmReport, clientId: string) => {
  const found = report.clients.find((candidate) => candidate.clientId === clientId);
  if (!found) throw new Error(`no client ${clientId} in the sample`);
  return found;
};

/** A realm whose account could see clients but no client scopes: the client naming one cannot be judged. */
export const scopesHiddenReport = () =>
  sampleReport({
    clients: [
      client('orders-web', { defaultClientScopes: ['roles', 'orders-audience'] }),
      client('catalog-api', { bearerOnly: true }),
    ],
    visibility: { clientsHidden: false, scopesHidden: true },
  });

/** A realm that listed no clients at all. */
export const clientsHiddenReport = () =>
  sampleReport({ realm: 'shop', clients: [], visibility: { clientsHidden: true, scopesHidden: false } });
