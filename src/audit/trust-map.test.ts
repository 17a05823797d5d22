import { describe, expect, it } from 'vitest';
import { auditRealm } from './audit-realm.ts';
import { REQUIRES_ATTRIBUTE } from './requirements.ts';
import type { ClientRep, ClientScopeRep } from './snapshot.ts';
import { audienceMapperFixture, clientRepFixture, realmSnapshotFixture } from './test-fixtures.ts';
import {
  buildTrustMap,
  cellOf,
  requiredAudiences,
  sourceAudit,
  type TrustMap,
  type TrustMapOptions,
  trustEdges,
} from './trust-map.ts';

const requires = (audiences: string[]) => ({ attributes: { [REQUIRES_ATTRIBUTE]: JSON.stringify(audiences) } });

const scope = (name: string, mappers: ClientScopeRep['protocolMappers']): ClientScopeRep => ({
  id: `scope-${name}`,
  name,
  protocol: 'openid-connect',
  protocolMappers: mappers,
});

const rolesScope = scope('roles', [
  { name: 'audience resolve', protocol: 'openid-connect', protocolMapper: 'oidc-audience-resolve-mapper', config: {} },
]);

/**
 * spa requires the API and does not get it; web carries it unasked from its own mapper; mobile gets it only
 * when it asks for an optional scope; api and legacy-api take no tokens; account-console is built in.
 */
function realm(): { clients: ClientRep[]; scopes: ClientScopeRep[] } {
  return {
    scopes: [rolesScope, scope('api-optional', [audienceMapperFixture('api', {}, 'api for mobile')])],
    clients: [
      clientRepFixture('spa', { ...requires(['api']), defaultClientScopes: ['roles'] }),
      clientRepFixture('web', { protocolMappers: [audienceMapperFixture('api', {}, 'api for web')] }),
      clientRepFixture('mobile', { ...requires(['api']), optionalClientScopes: ['api-optional'] }),
      clientRepFixture('api', { bearerOnly: true }),
      clientRepFixture('legacy-api', { bearerOnly: true }),
      clientRepFixture('account-console', { ...requires(['account-console']) }),
    ],
  };
}

function mapOf(options: TrustMapOptions & { edit?: Map<string, string[]>; withSources?: boolean } = {}): TrustMap {
  const { clients, scopes } = realm();
  const snapshot = {
    ...realmSnapshotFixture(clients, '26.7.5', scopes),
    mapperTypes: ['oidc-audience-mapper', 'oidc-audience-resolve-mapper'],
  };
  const base = auditRealm(snapshot);
  const audit = options.edit ? auditRealm(snapshot, { requirements: options.edit }) : base;
  return buildTrustMap(audit, {
    ...options,
    sources: options.withSources === false ? undefined : sourceAudit(snapshot, base),
  });
}

function cell(map: TrustMap, caller: string, audience: string) {
  const row = map.callers.find((item) => item.clientId === caller);
  const column = map.audiences.find((item) => item.audience === audience);
  if (!row || !column) throw new Error(`no cell ${caller} × ${audience}`);
  return cellOf(row, column);
}

const summary = (map: TrustMap, caller: string, audience: string) => {
  const { required, carried, perUser } = cell(map, caller, audience);
  return { required, carried, perUser };
};

describe('the trust map', () => {
  it('has a row per client that gets tokens and a column only per audience carried or required', () => {
    const map = mapOf();
    expect(map.callers.map((caller) => caller.clientId)).toEqual(['mobile', 'spa', 'web']);
    // legacy-api is neither carried nor required; account-console is built in and hidden.
    expect(map.audiences.map((audience) => audience.audience)).toEqual(['api', 'web']);
    expect(map.audiences.find((audience) => audience.audience === 'api')).toMatchObject({
      isClient: true,
      requiredBy: 2,
      carriedBy: 2,
    });
  });

  it('says required or not and carried always, only conditionally or never, with the mapper that adds it', () => {
    const map = mapOf();
    expect(summary(map, 'spa', 'api')).toEqual({ required: true, carried: 'never', perUser: true });
    expect(cell(map, 'spa', 'api').status).toBe('unmet');
    expect(summary(map, 'mobile', 'api')).toEqual({ required: true, carried: 'conditional', perUser: false });
    expect(cell(map, 'mobile', 'api').sources).toEqual([
      {
        container: 'api-optional',
        containerType: 'scope',
        attachment: 'optional',
        applies: 'optional',
        mapper: 'api for mobile',
      },
    ]);
    expect(summary(map, 'web', 'api')).toEqual({ required: false, carried: 'always', perUser: false });
    expect(cell(map, 'web', 'api').sources).toEqual([
      {
        container: 'web-dedicated',
        containerType: 'client',
        attachment: 'dedicated',
        applies: 'always',
        mapper: 'api for web',
      },
    ]);
    // web requires itself by default and nothing adds it.
    expect(summary(map, 'web', 'web')).toEqual({ required: true, carried: 'never', perUser: false });
    expect(summary(map, 'mobile', 'web')).toEqual({ required: false, carried: 'never', perUser: false });
  });

  it('marks what roles may add as per user, never the caller itself', () => {
    const map = mapOf();
    const spa = map.callers.find((caller) => caller.clientId === 'spa');
    expect(spa?.perUser).toBe(true);
    expect(summary(map, 'spa', 'web')).toEqual({ required: false, carried: 'never', perUser: true });
    const withSelf = mapOf({ edit: new Map([['spa', ['api', 'spa']]]) });
    expect(summary(withSelf, 'spa', 'spa')).toEqual({ required: true, carried: 'never', perUser: false });
  });

  it('shows built-in callers only when asked', () => {
    const map = mapOf({ includeBuiltIn: true });
    expect(map.callers.map((caller) => caller.clientId)).toContain('account-console');
    expect(map.audiences.find((audience) => audience.audience === 'account-console')?.builtIn).toBe(true);
  });

  it('recomputes with edited requirements, without touching what tokens carry', () => {
    const map = mapOf({ edit: new Map([['spa', ['legacy-api']]]) });
    expect(map.audiences.map((audience) => audience.audience)).toEqual(['api', 'legacy-api', 'web']);
    expect(summary(map, 'spa', 'legacy-api')).toEqual({ required: true, carried: 'never', perUser: true });
    expect(summary(map, 'spa', 'api')).toEqual({ required: false, carried: 'never', perUser: true });
    expect(summary(map, 'web', 'api')).toEqual({ required: false, carried: 'always', perUser: false });
  });

  it('starts an edit from the requirements the audit judged', () => {
    const { clients, scopes } = realm();
    const audit = auditRealm(realmSnapshotFixture(clients, '26.7.5', scopes));
    expect(requiredAudiences(audit, 'spa')).toEqual(['api']);
    expect(requiredAudiences(audit, 'web')).toEqual(['web']);
    expect(requiredAudiences(audit, 'nobody')).toEqual([]);
  });

  it('marks the rows whose verdict still waits for the read', () => {
    const map = mapOf({ waiting: new Set(['uuid-web']) });
    expect(map.callers.filter((caller) => caller.waiting).map((caller) => caller.clientId)).toEqual(['web']);
  });
});

describe('the edge list', () => {
  it('lists every required or carried pair with its source', () => {
    expect(trustEdges(mapOf())).toEqual([
      {
        caller: 'mobile',
        audience: 'api',
        required: true,
        carried: 'conditional',
        perUser: false,
        source: 'mapper "api for mobile" in client scope "api-optional" (optional)',
      },
      { caller: 'spa', audience: 'api', required: true, carried: 'never', perUser: true, source: '' },
      {
        caller: 'web',
        audience: 'api',
        required: false,
        carried: 'always',
        perUser: false,
        source: `mapper "api for web" in the client's own mappers (web-dedicated)`,
      },
      { caller: 'web', audience: 'web', required: true, carried: 'never', perUser: false, source: '' },
    ]);
  });

  it('without the source audit still names the mapper of a required audience', () => {
    const edges = trustEdges(mapOf({ withSources: false }));
    expect(edges.find((edge) => edge.caller === 'mobile')?.source).toBe(
      'mapper "api for mobile" in client scope "api-optional" (optional)',
    );
    expect(edges.find((edge) => edge.caller === 'web' && edge.audience === 'api')?.source).toBe('');
  });
});
