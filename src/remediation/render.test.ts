import { describe, expect, it } from 'vitest';
import { auditRealm } from '../audit/audit-realm.ts';
import type { ClientRep, ClientScopeRep, RealmSnapshot } from '../audit/snapshot.ts';
import { audienceMapperFixture, clientRepFixture } from '../audit/test-fixtures.ts';
import { audienceName } from './names.ts';
import { planFix } from './plan.ts';
import { describePlan, describeWrite } from './render-human.ts';
import { asciiJson, kcadmScript, shellQuote } from './render-kcadm.ts';
import { restCalls, restCallsText } from './render-rest.ts';
import type { Plan, Strategy, Write } from './types.ts';

const rolesScope: ClientScopeRep = {
  id: 'scope-roles',
  name: 'roles',
  protocol: 'openid-connect',
  protocolMappers: [
    { name: 'audience resolve', protocol: 'openid-connect', protocolMapper: 'oidc-audience-resolve-mapper' },
  ],
};

/** Like the demo realm's billing-app scope, but optional and switched off: a repair on a scope. */
const billingScope: ClientScopeRep = {
  id: 'scope-billing',
  name: 'billing-app-audience',
  protocol: 'openid-connect',
  attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
  protocolMappers: [audienceMapperFixture('billing-app', { 'access.token.claim': 'false' }, 'billing-app audience')],
};

const client = (clientId: string, settings: Partial<ClientRep> = {}): ClientRep =>
  clientRepFixture(clientId, { publicClient: false, defaultClientScopes: ['roles'], ...settings });

/** A client id built to break naive shell quoting. */
const HOSTILE = `it's "$(touch pwned)" \`id\` $HOME ü/ß \\ ;|&`;

function snapshotOf(clients: ClientRep[], realm = 'demo'): RealmSnapshot {
  return {
    realm,
    keycloakVersion: '26.7.3',
    clients,
    clientScopes: [rolesScope, billingScope],
    mapperTypes: undefined,
    scopeRoleRestrictions: { [billingScope.id]: false },
    clientPolicies: { policies: [], profiles: [] },
  };
}

/** The three demo clients the dashboard fixes first: two without a fix, one with a broken one. */
const demoClients = () => [
  client('orders-web'),
  client('shop-spa', { publicClient: true }),
  client('payroll-app', {
    protocolMappers: [audienceMapperFixture('payroll-app', { 'access.token.claim': 'false' }, 'payroll-app audience')],
  }),
];
const DEMO_IDS = ['orders-web', 'shop-spa', 'payroll-app'];

function plan(strategy: Strategy, clients = demoClients(), ids = clients.map((item) => item.clientId), realm = 'demo') {
  const snapshot = snapshotOf(clients, realm);
  return planFix(snapshot, auditRealm(snapshot), ids, { strategy, runId: 'run-1', sharedScopeName: 'team-audience' });
}

const mapperBody = (clientId: string, name = `${clientId}-audience`, lightweight = false) => ({
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: {
    'included.client.audience': clientId,
    'access.token.claim': 'true',
    'introspection.token.claim': 'true',
    'id.token.claim': 'false',
    'lightweight.claim': lightweight ? 'true' : 'false',
  },
});

const PAYROLL_LINE = {
  text: 'Turn on "Add to access token" in mapper "payroll-app audience" of client "payroll-app"',
  undo: 'Turn off "Add to access token" in mapper "payroll-app audience" of client "payroll-app"',
  clientIds: ['payroll-app'],
};

describe('describePlan', () => {
  it('dedicated mapper: one mapper per client; the broken one is switched on instead', () => {
    expect(describePlan(plan('dedicated-mapper'))).toEqual([
      {
        text: 'Add Audience mapper "orders-web-audience" to client "orders-web" (adds orders-web to access tokens)',
        undo: 'Delete mapper "orders-web-audience" of client "orders-web"',
        clientIds: ['orders-web'],
      },
      {
        text: 'Add Audience mapper "shop-spa-audience" to client "shop-spa" (adds shop-spa to access tokens)',
        undo: 'Delete mapper "shop-spa-audience" of client "shop-spa"',
        clientIds: ['shop-spa'],
      },
      PAYROLL_LINE,
    ]);
  });

  it('client scope: a scope per client, attached as a default scope', () => {
    expect(describePlan(plan('client-scope'))).toEqual([
      {
        text: 'Create client scope "orders-web-audience" with Audience mapper "orders-web-audience" (adds orders-web to access tokens)',
        undo: 'Delete client scope "orders-web-audience"',
        clientIds: ['orders-web'],
      },
      {
        text: 'Attach client scope "orders-web-audience" to "orders-web" as a default scope',
        undo: 'Remove the default link of scope "orders-web-audience" from "orders-web"',
        clientIds: ['orders-web'],
      },
      {
        text: 'Create client scope "shop-spa-audience" with Audience mapper "shop-spa-audience" (adds shop-spa to access tokens)',
        undo: 'Delete client scope "shop-spa-audience"',
        clientIds: ['shop-spa'],
      },
      {
        text: 'Attach client scope "shop-spa-audience" to "shop-spa" as a default scope',
        undo: 'Remove the default link of scope "shop-spa-audience" from "shop-spa"',
        clientIds: ['shop-spa'],
      },
      PAYROLL_LINE,
    ]);
  });

  it('shared scope: one scope with every mapper, then one link per client', () => {
    const lines = describePlan(plan('shared-scope'));
    expect(lines.map((line) => line.text)).toEqual([
      PAYROLL_LINE.text,
      'Create client scope "team-audience" with Audience mappers "orders-web-audience" (adds orders-web to access tokens) and "shop-spa-audience" (adds shop-spa to access tokens)',
      'Attach client scope "team-audience" to "orders-web" as a default scope',
      'Attach client scope "team-audience" to "shop-spa" as a default scope',
    ]);
    expect(lines[1]?.clientIds).toEqual(['orders-web', 'shop-spa']);
  });

  it('repair: only the broken fix; on a scope that is optional, the link is made default as well', () => {
    const clients = [...demoClients(), client('billing-app', { optionalClientScopes: ['billing-app-audience'] })];
    expect(describePlan(plan('repair', clients)).map(({ text, undo }) => [text, undo])).toEqual([
      [PAYROLL_LINE.text, PAYROLL_LINE.undo],
      [
        'Turn on "Add to access token" in mapper "billing-app audience" of client scope "billing-app-audience"',
        'Turn off "Add to access token" in mapper "billing-app audience" of client scope "billing-app-audience"',
      ],
      [
        'Remove the optional link of scope "billing-app-audience" from "billing-app"',
        'Attach client scope "billing-app-audience" to "billing-app" as an optional scope',
      ],
      [
        'Attach client scope "billing-app-audience" to "billing-app" as a default scope',
        'Remove the default link of scope "billing-app-audience" from "billing-app"',
      ],
    ]);
  });

  it('says which values an update changes, old → new', () => {
    const uuidValue = client('uuid-app', {
      protocolMappers: [audienceMapperFixture('uuid-uuid-app', { 'access.token.claim': 'false' }, 'self')],
    });
    expect(describePlan(plan('repair', [uuidValue]))[0]).toMatchObject({
      text: 'Change mapper "self" of client "uuid-app": "Included Client Audience" "uuid-uuid-app" → "uuid-app", "Add to access token" off → on',
      undo: 'Change mapper "self" of client "uuid-app": "Included Client Audience" "uuid-app" → "uuid-uuid-app", "Add to access token" on → off',
    });
  });

  it('names the lightweight switch, and says when a mapper also reaches lightweight tokens', () => {
    const lightweight = { 'client.use.lightweight.access.token.enabled': 'true' };
    const broken = client('light-app', {
      attributes: lightweight,
      protocolMappers: [audienceMapperFixture('light-app', {}, 'light')],
    });
    expect(describePlan(plan('repair', [broken]))[0]?.text).toBe(
      'Turn on "Add to lightweight access token" in mapper "light" of client "light-app"',
    );
    const unfixed = client('light-app', { attributes: lightweight });
    expect(describePlan(plan('dedicated-mapper', [unfixed]))[0]?.text).toBe(
      'Add Audience mapper "light-app-audience" to client "light-app" (adds light-app to access tokens, lightweight ones too)',
    );
  });

  it('describes every kind of write, including those only undo steps use', () => {
    const clientTarget = { id: 'uuid-c', clientId: 'c' };
    const mapper = { id: 'm1', name: 'm', protocol: 'openid-connect', config: { a: '1' } };
    const writes: [Write, string][] = [
      [{ kind: 'delete-client-mapper', client: clientTarget, mapperName: 'm' }, 'Delete mapper "m" of client "c"'],
      [{ kind: 'delete-scope', scope: { name: 's' } }, 'Delete client scope "s"'],
      [
        { kind: 'update-client-mapper', client: clientTarget, mapper: { ...mapper, name: 'n' }, replaces: mapper },
        'Change mapper "m" of client "c": name "m" → "n"',
      ],
      [
        { kind: 'update-client-mapper', client: clientTarget, mapper: { ...mapper, config: {} }, replaces: mapper },
        'Change mapper "m" of client "c": "a" "1" → (not set)',
      ],
      [
        { kind: 'update-client-mapper', client: clientTarget, mapper, replaces: mapper },
        'Write mapper "m" of client "c" again, unchanged',
      ],
    ];
    for (const [write, text] of writes) expect(describeWrite(write)).toBe(text);
  });
});

describe('describePlan for cross-client', () => {
  const crossPlan = (callers: string[]) => {
    const snapshot = snapshotOf([client('orders-api', { bearerOnly: true }), ...demoClients()]);
    return planFix(snapshot, auditRealm(snapshot), callers, {
      strategy: 'cross-client',
      runId: 'run-1',
      audienceClientId: 'orders-api',
    });
  };

  it('creates the API client’s scope once, and says why each caller is linked to it', () => {
    expect(describePlan(crossPlan(['orders-web', 'shop-spa']))).toEqual([
      {
        text: 'Create client scope "orders-api-audience" with Audience mapper "orders-api-audience" (adds orders-api to access tokens)',
        undo: 'Delete client scope "orders-api-audience"',
        clientIds: ['orders-web', 'shop-spa'],
      },
      {
        text: 'Attach client scope "orders-api-audience" to "orders-web" as a default scope, so its access tokens carry orders-api',
        undo: 'Remove the default link of scope "orders-api-audience" from "orders-web"',
        clientIds: ['orders-web'],
      },
      {
        text: 'Attach client scope "orders-api-audience" to "shop-spa" as a default scope, so its access tokens carry orders-api',
        undo: 'Remove the default link of scope "orders-api-audience" from "shop-spa"',
        clientIds: ['shop-spa'],
      },
    ]);
  });

  it('moves an optional link first, and the REST listing and the script carry the same sentences', () => {
    const clients = [
      client('billing-api', { bearerOnly: true }),
      client('billing-web', { optionalClientScopes: ['billing-api-audience'] }),
    ];
    const snapshot = snapshotOf(clients);
    snapshot.clientScopes.push({
      ...billingScope,
      id: 'scope-billing-api',
      name: 'billing-api-audience',
      protocolMappers: [audienceMapperFixture('billing-api', {}, 'billing-api audience')],
    });
    snapshot.scopeRoleRestrictions['scope-billing-api'] = false;
    const planned = planFix(snapshot, auditRealm(snapshot), ['billing-web'], {
      strategy: 'cross-client',
      runId: 'run-1',
      audienceClientId: 'billing-api',
    });
    const attach =
      'Attach client scope "billing-api-audience" to "billing-web" as a default scope, so its access tokens carry billing-api';
    expect(describePlan(planned).map((line) => line.text)).toEqual([
      'Remove the optional link of scope "billing-api-audience" from "billing-web"',
      attach,
    ]);
    expect(restCallsText(planned, 'http://localhost:8080')).toContain(`# 2. ${attach}\nPUT `);
    const script = kcadmScript(planned);
    expect(script).toContain('strategy cross-client for realm "demo"');
    expect(script).toContain(`step 2 2 ${shellQuote(attach)}`);
    expect(commands(script)).toEqual([
      "CLIENT_1=$(client_uuid 'billing-web')",
      "SCOPE_1=$(scope_id 'billing-api-audience')",
      'kc delete "clients/$CLIENT_1/optional-client-scopes/$SCOPE_1"',
      'kc update "clients/$CLIENT_1/default-client-scopes/$SCOPE_1"',
    ]);
  });
});

describe('restCalls', () => {
  const URL = 'http://localhost:8080/';
  const base = 'http://localhost:8080/admin/realms/demo';
  const payrollCall = {
    method: 'PUT',
    path: `${base}/clients/uuid-payroll-app/protocol-mappers/models/mapper-payroll-app%20audience`,
    body: {
      id: 'mapper-payroll-app audience',
      name: 'payroll-app audience',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
      config: { 'included.client.audience': 'payroll-app', 'access.token.claim': 'true' },
    },
  };

  it('dedicated mapper: a POST of the mapper to each client, the repair as a PUT carrying the mapper id', () => {
    expect(restCalls(plan('dedicated-mapper'), URL)).toEqual([
      {
        method: 'POST',
        path: `${base}/clients/uuid-orders-web/protocol-mappers/models`,
        body: mapperBody('orders-web'),
      },
      { method: 'POST', path: `${base}/clients/uuid-shop-spa/protocol-mappers/models`, body: mapperBody('shop-spa') },
      payrollCall,
    ]);
  });

  it('client scope: the new scope id is a readable placeholder; a link is a PUT without a body', () => {
    const calls = restCalls(plan('client-scope', demoClients(), ['orders-web']), URL);
    expect(calls).toEqual([
      {
        method: 'POST',
        path: `${base}/client-scopes`,
        body: {
          name: 'orders-web-audience',
          description: 'Created by Audience Doctor for client "orders-web" (run run-1)',
          protocol: 'openid-connect',
          attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
          protocolMappers: [mapperBody('orders-web')],
        },
      },
      {
        method: 'PUT',
        path: `${base}/clients/uuid-orders-web/default-client-scopes/{id of client scope "orders-web-audience"}`,
      },
    ]);
    expect('body' in (calls[1] ?? {})).toBe(false);
  });

  it('shared scope: one POST, then a PUT per client', () => {
    const calls = restCalls(plan('shared-scope'), URL);
    expect(calls.map((call) => `${call.method} ${call.path.slice(base.length)}`)).toEqual([
      'PUT /clients/uuid-payroll-app/protocol-mappers/models/mapper-payroll-app%20audience',
      'POST /client-scopes',
      'PUT /clients/uuid-orders-web/default-client-scopes/{id of client scope "team-audience"}',
      'PUT /clients/uuid-shop-spa/default-client-scopes/{id of client scope "team-audience"}',
    ]);
    expect(calls[1]?.body).toMatchObject({ protocolMappers: [mapperBody('orders-web'), mapperBody('shop-spa')] });
  });

  it('repair on a scope: known ids, DELETE of the optional link before the PUT of the default one', () => {
    const clients = [client('billing-app', { optionalClientScopes: ['billing-app-audience'] })];
    const calls = restCalls(plan('repair', clients), URL);
    expect(calls.map((call) => `${call.method} ${call.path.slice(base.length)}`)).toEqual([
      'PUT /client-scopes/scope-billing/protocol-mappers/models/mapper-billing-app%20audience',
      'DELETE /clients/uuid-billing-app/optional-client-scopes/scope-billing',
      'PUT /clients/uuid-billing-app/default-client-scopes/scope-billing',
    ]);
    expect(calls[0]?.body).toMatchObject({
      id: 'mapper-billing-app audience',
      config: { 'access.token.claim': 'true' },
    });
  });

  it('encodes every path segment, and keeps a context path such as /auth', () => {
    const odd = client('a/b c?d#e');
    const calls = restCalls(plan('client-scope', [odd], ['a/b c?d#e'], 'my realm/ü'), 'https://sso.example.com/auth//');
    expect(calls[1]?.path).toBe(
      `https://sso.example.com/auth/admin/realms/my%20realm%2F%C3%BC/clients/uuid-a%2Fb%20c%3Fd%23e/default-client-scopes/{id of client scope "${audienceName('a/b c?d#e')}"}`,
    );
  });

  it('as text: each call under its sentence, bodies as indented JSON', () => {
    const text = restCallsText(plan('client-scope', demoClients(), ['orders-web']), URL);
    expect(text).toContain('# 2 Admin API calls for realm "demo" (run run-1), in this order.');
    expect(text).toContain('Location header of the POST that creates it');
    expect(text).toContain(
      [
        '# 1. Create client scope "orders-web-audience" with Audience mapper "orders-web-audience" (adds orders-web to access tokens)',
        `POST ${base}/client-scopes`,
        'Content-Type: application/json',
        '',
        '{',
        '  "name": "orders-web-audience",',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '# 2. Attach client scope "orders-web-audience" to "orders-web" as a default scope',
        `PUT ${base}/clients/uuid-orders-web/default-client-scopes/{id of client scope "orders-web-audience"}`,
      ].join('\n'),
    );
    expect(text.endsWith('"orders-web-audience"}\n')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------- shell

const HOSTILE_STRINGS = [
  '',
  'plain',
  "it's",
  "''",
  `'\\''`,
  'a b\tc\nd',
  '$(touch pwned)',
  '`touch pwned`',
  '${HOME} $HOME $0 $@ $*',
  '"double" \\"escaped\\"',
  '!history !! ^x^y',
  '; rm -rf / | cat & echo',
  '* ? [a-z] ~ ~root {a,b}',
  '-n',
  '--config=/etc/passwd',
  'ünïcödé 😀 ß / \\ \u2028',
  '#not a comment',
  HOSTILE,
];

/**
 * How bash reads a word made only of '…' runs and \' (anything else outside quotes is an error): inside
 * single quotes nothing is special, so this is the whole rule. The e2e spec checks it against real bash.
 */
function bashWord(word: string): string {
  let value = '';
  let index = 0;
  while (index < word.length) {
    if (word.startsWith("\\'", index)) {
      value += "'";
      index += 2;
      continue;
    }
    if (word[index] !== "'") throw new Error(`unquoted ${JSON.stringify(word[index])} at ${index} in ${word}`);
    const end = word.indexOf("'", index + 1);
    if (end < 0) throw new Error(`unterminated quote in ${word}`);
    value += word.slice(index + 1, end);
    index = end + 1;
  }
  return value;
}

describe('shellQuote', () => {
  it('wraps in single quotes and writes a quote as quote, backslash-quote, quote', () => {
    expect(shellQuote('orders-web')).toBe("'orders-web'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it.each(HOSTILE_STRINGS)('%j stays one word that bash reads back unchanged', (value) => {
    expect(bashWord(shellQuote(value))).toBe(value);
  });
});

describe('asciiJson', () => {
  it('escapes everything outside ASCII, and reads back the same', () => {
    const value = { name: 'ünï 😀 \u2028 \u007f', quote: `"'\\` };
    const json = asciiJson(value);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(json).toContain('\\u00fc');
    expect(JSON.parse(json)).toEqual(value);
  });
});

/** The script's commands that talk to Keycloak, without the step banners and the shell functions. */
const commands = (script: string) =>
  script
    .slice(script.indexOf('\n# Everything that exists already'))
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('step ') && !line.startsWith('printf'));

/** The value of the last option of a command line, as bash will pass it. */
const lastWord = (line: string, option: string) =>
  bashWord(line.slice(line.lastIndexOf(` ${option} `) + option.length + 2));

const payrollUpdate = [
  'MAPPER_ID=$(mapper_id "clients/$CLIENT_3" \'payroll-app audience\')',
  `kc update "clients/$CLIENT_3/protocol-mappers/models/$MAPPER_ID" -n -b "$(with_id "$MAPPER_ID" '${JSON.stringify({
    name: 'payroll-app audience',
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    config: { 'included.client.audience': 'payroll-app', 'access.token.claim': 'true' },
  })}')"`,
];

describe('kcadmScript', () => {
  it('starts with how to sign in, strict mode, KCADM and the realm', () => {
    const script = kcadmScript(plan('dedicated-mapper'), 'http://localhost:8080');
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env bash');
    expect(script).toContain(
      '#   kcadm.sh config credentials --server http://localhost:8080 --realm master --user admin',
    );
    expect(lines).toContain('set -euo pipefail');
    expect(lines).toContain('KCADM="${KCADM:-kcadm.sh}"');
    expect(lines).toContain('REALM="${1:-}"');
    expect(lines).toContain(`if [[ -z "$REALM" ]]; then REALM='demo'; fi`);
    expect(script).toContain('"$KCADM" "$@" -r "$REALM" --config "$KCADM_CONFIG"');
    expect(script).toContain('kc get clients -q "clientId=$1" --fields id,clientId --format csv --noquotes');
    expect(script.endsWith("printf '%s\\n' 'Done: 3 writes in realm '\"$REALM\"\n")).toBe(true);
  });

  it('dedicated mapper: clients found first, then one create per client and the repair with the id in the body', () => {
    expect(commands(kcadmScript(plan('dedicated-mapper')))).toEqual([
      "CLIENT_1=$(client_uuid 'orders-web')",
      "CLIENT_2=$(client_uuid 'shop-spa')",
      "CLIENT_3=$(client_uuid 'payroll-app')",
      `kc create "clients/$CLIENT_1/protocol-mappers/models" -b '${JSON.stringify(mapperBody('orders-web'))}'`,
      `kc create "clients/$CLIENT_2/protocol-mappers/models" -b '${JSON.stringify(mapperBody('shop-spa'))}'`,
      ...payrollUpdate,
    ]);
  });

  it('client scope: keeps the id of each scope it creates, and links it with a bodiless update', () => {
    const planned = plan('client-scope');
    const lines = commands(kcadmScript(planned));
    expect(lines.map((line) => line.replace(/ -b '.*$/, ' -b …'))).toEqual([
      "CLIENT_1=$(client_uuid 'orders-web')",
      "CLIENT_2=$(client_uuid 'shop-spa')",
      "CLIENT_3=$(client_uuid 'payroll-app')",
      'SCOPE_1=$(kc create client-scopes -i -b …',
      'kc update "clients/$CLIENT_1/default-client-scopes/$SCOPE_1"',
      'SCOPE_2=$(kc create client-scopes -i -b …',
      'kc update "clients/$CLIENT_2/default-client-scopes/$SCOPE_2"',
      ...payrollUpdate,
    ]);
    const created = planned.steps.flatMap(({ write }) => (write.kind === 'create-scope' ? [write.scope] : []));
    expect(JSON.parse(lastWord(lines[3]?.slice(0, -1) ?? '', '-b'))).toEqual(created[0]);
    expect(JSON.parse(lastWord(lines[5]?.slice(0, -1) ?? '', '-b'))).toEqual(created[1]);
  });

  it('shared scope: one scope, linked to every client', () => {
    expect(commands(kcadmScript(plan('shared-scope'))).map((line) => line.replace(/ -b .*$/, ' -b …'))).toEqual([
      "CLIENT_1=$(client_uuid 'payroll-app')",
      "CLIENT_2=$(client_uuid 'orders-web')",
      "CLIENT_3=$(client_uuid 'shop-spa')",
      'MAPPER_ID=$(mapper_id "clients/$CLIENT_1" \'payroll-app audience\')',
      'kc update "clients/$CLIENT_1/protocol-mappers/models/$MAPPER_ID" -n -b …',
      'SCOPE_1=$(kc create client-scopes -i -b …',
      'kc update "clients/$CLIENT_2/default-client-scopes/$SCOPE_1"',
      'kc update "clients/$CLIENT_3/default-client-scopes/$SCOPE_1"',
    ]);
  });

  it('repair on a scope: scope and client found by name before any write, its mapper by name, optional link removed first', () => {
    const clients = [client('billing-app', { optionalClientScopes: ['billing-app-audience'] })];
    const lines = commands(kcadmScript(plan('repair', clients)));
    expect(lines.map((line) => line.replace(/ -b .*$/, ' -b …'))).toEqual([
      "SCOPE_1=$(scope_id 'billing-app-audience')",
      "CLIENT_1=$(client_uuid 'billing-app')",
      'MAPPER_ID=$(mapper_id "client-scopes/$SCOPE_1" \'billing-app audience\')',
      'kc update "client-scopes/$SCOPE_1/protocol-mappers/models/$MAPPER_ID" -n -b …',
      'kc delete "clients/$CLIENT_1/optional-client-scopes/$SCOPE_1"',
      'kc update "clients/$CLIENT_1/default-client-scopes/$SCOPE_1"',
    ]);
  });

  it('undo writes: a scope without id is found by name just before use; a mapper to delete by its name', () => {
    const planned = plan('client-scope', demoClients(), ['orders-web']);
    const undo: Plan = {
      ...planned,
      steps: [...planned.steps].reverse().map((step) => ({ ...step, write: step.undo })),
    };
    expect(commands(kcadmScript(undo))).toEqual([
      "CLIENT_1=$(client_uuid 'orders-web')",
      "SCOPE_1=$(scope_id 'orders-web-audience')",
      'kc delete "clients/$CLIENT_1/default-client-scopes/$SCOPE_1"',
      'kc delete "client-scopes/$SCOPE_1"',
    ]);
    const dedicated = plan('dedicated-mapper', demoClients(), ['orders-web']);
    const removal: Plan = { ...dedicated, steps: dedicated.steps.map((step) => ({ ...step, write: step.undo })) };
    expect(commands(kcadmScript(removal))).toEqual([
      "CLIENT_1=$(client_uuid 'orders-web')",
      'MAPPER_ID=$(mapper_id "clients/$CLIENT_1" \'orders-web-audience\')',
      'kc delete "clients/$CLIENT_1/protocol-mappers/models/$MAPPER_ID"',
    ]);
  });

  it('quotes hostile client ids and names so that bash passes them on unchanged', () => {
    const hostile = client(HOSTILE, {
      protocolMappers: [audienceMapperFixture(HOSTILE, { 'access.token.claim': 'false' }, `${HOSTILE} mapper`)],
    });
    const script = kcadmScript(plan('dedicated-mapper', [hostile, client("o'neil $(date)")]));
    const lines = commands(script);
    expect(lines[0]).toBe(`CLIENT_1=$(client_uuid ${shellQuote(HOSTILE)})`);
    expect(bashWord((lines[0] ?? '').slice('CLIENT_1=$(client_uuid '.length, -1))).toBe(HOSTILE);
    expect(bashWord((lines[2] ?? '').slice(lines[2]?.indexOf(" '"), -1).trim())).toBe(`${HOSTILE} mapper`);
    const update = JSON.parse(bashWord((lines[3] ?? '').slice(lines[3]?.indexOf(" '"), -2).trim()));
    expect(update.config['included.client.audience']).toBe(HOSTILE);
    expect(JSON.parse(lastWord(lines[4] ?? '', '-b')).config['included.client.audience']).toBe("o'neil $(date)");
    expect(script).toContain(
      `step 1 2 ${shellQuote(`Turn on "Add to access token" in mapper "${HOSTILE} mapper" of client "${HOSTILE}"`)}`,
    );
  });

  it('asks for a UTF-8 locale only when a name kcadm.sh must read is not ASCII, and keeps bodies ASCII', () => {
    expect(kcadmScript(plan('client-scope'))).not.toContain('UTF-8 locale');
    expect(kcadmScript(plan('client-scope'))).toMatch(/^[\x20-\x7e\n]*$/);
    const script = kcadmScript(plan('dedicated-mapper', [client('größe')]));
    expect(script).toContain("*) fail 'Run this script in a UTF-8 locale");
    expect(script.indexOf('UTF-8 locale')).toBeLessThan(script.indexOf("CLIENT_1=$(client_uuid 'größe')"));
    expect(script).toContain('"included.client.audience":"gr\\u00f6\\u00dfe"');
  });

  it('keeps hostile text out of comments', () => {
    const script = kcadmScript(plan('repair', demoClients(), [], 'demo\nrm -rf ~'), 'http://x\ntouch pwned');
    const header = script.slice(0, script.indexOf('set -euo pipefail')).split('\n').slice(0, -1);
    for (const line of header) expect(line.startsWith('#')).toBe(true);
    expect(script).toContain('realm "demo\\nrm -rf ~"');
    expect(script).toContain(`REALM='demo\nrm -rf ~'; fi`);
  });

  it('a plan without steps writes nothing', () => {
    const empty = plan('repair', [client('orders-web')]);
    expect(empty.steps).toEqual([]);
    expect(commands(kcadmScript(empty))).toEqual([]);
    expect(kcadmScript(empty).endsWith("printf 'Nothing to write.\\n'\n")).toBe(true);
  });
});

describe('plans for the demo clients', () => {
  it('fix all three with every strategy but repair', () => {
    for (const strategy of ['dedicated-mapper', 'client-scope', 'shared-scope'] as const) {
      expect(plan(strategy).fixes.sort()).toEqual([...DEMO_IDS].sort());
    }
    expect(plan('repair').fixes).toEqual(['payroll-app']);
  });
});
