import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';

/**
 * Client ids that run `window.__pwned = 1` wherever they are treated as HTML, a URL or script; Keycloak
 * stores each as it is. The last one also breaks naive shell quoting.
 */
export const XSS_CLIENT_IDS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload=window.__pwned=1>',
  'javascript:window.__pwned=1',
  `x' "$(touch pwned)" \`touch pwned\`;window.__pwned=1 #`,
];

/** Names and descriptions that would do the same; they go on the clients above. */
export const XSS_TEXTS = [
  '<a href="javascript:window.__pwned=1">click me</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  "{{constructor.constructor('window.__pwned=1')()}}",
  '<details open ontoggle=window.__pwned=1>',
  '<body onload=window.__pwned=1>',
];

/** A client scope name Keycloak accepts (no space, `"` or `\`) that is still markup. */
export const XSS_SCOPE = '<svg/onload=window.__pwned=1>';
/** An audience value and a mapper name shown in the drawer's mapper table and the evidence. */
export const XSS_AUDIENCE = '<img src=y onerror=window.__pwned=1>';

/** Spreadsheets run cells that start with these as formulas. */
export const FORMULA_CLIENT_IDS = [
  '=HYPERLINK("http://evil.example","x")',
  '+1+1',
  '-2+3',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
];
export const FORMULA_AUDIENCE = '=1+1';
export const FORMULA_MAPPER = '@formula mapper';

/** Ids that must survive URLs: a slash and a space, URL syntax, non-ASCII beyond the BMP, and Keycloak's maximum length. */
export const UNUSUAL_CLIENT_IDS = ['team/orders web', 'a%2Fb?c=d&e#f', 'ünïcødé-客户端-🚀', `255/${'x'.repeat(251)}`];

const confidentialApp = (clientId: string, extra: ClientRepresentation = {}): ClientRepresentation => ({
  clientId,
  enabled: true,
  protocol: 'openid-connect',
  publicClient: false,
  standardFlowEnabled: true,
  directAccessGrantsEnabled: false,
  redirectUris: ['http://localhost:3999/callback'],
  ...extra,
});

const audienceMapper = (name: string, config: Record<string, string>) => ({
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'access.token.claim': 'true', 'introspection.token.claim': 'true', 'id.token.claim': 'false', ...config },
});

/**
 * Adds the hostile and unusual clients to a realm. The first XSS client carries a markup-named scope and
 * a mapper with a markup audience; the first formula client a mapper that puts formulas into the CSV.
 */
export async function addHostileClients(admin: KcAdminClient, realm: string): Promise<void> {
  for (const [index, clientId] of XSS_CLIENT_IDS.entries()) {
    const text = XSS_TEXTS[index] ?? clientId;
    const mappers = index === 0 ? [audienceMapper(XSS_AUDIENCE, { 'included.custom.audience': XSS_AUDIENCE })] : [];
    await admin.clients.create({
      realm,
      ...confidentialApp(clientId, { name: text, description: text }),
      protocolMappers: mappers,
    });
  }
  const { id: scopeId } = await admin.clientScopes.create({ realm, name: XSS_SCOPE, protocol: 'openid-connect' });
  const [first] = await admin.clients.find({ realm, clientId: XSS_CLIENT_IDS[0] });
  await admin.clients.addDefaultClientScope({ realm, id: first?.id as string, clientScopeId: scopeId });

  for (const [index, clientId] of FORMULA_CLIENT_IDS.entries()) {
    const mappers = index === 0 ? [audienceMapper(FORMULA_MAPPER, { 'included.client.audience': clientId })] : [];
    const custom =
      index === 0 ? [audienceMapper(`${FORMULA_MAPPER} 2`, { 'included.custom.audience': FORMULA_AUDIENCE })] : [];
    await admin.clients.create({
      realm,
      ...confidentialApp(clientId, { name: clientId }),
      protocolMappers: [...mappers, ...custom],
    });
  }

  // Names have the same 255-character limit: Keycloak answers 500 beyond it.
  for (const [index, clientId] of UNUSUAL_CLIENT_IDS.entries()) {
    await admin.clients.create({ realm, ...confidentialApp(clientId, { name: `Unusual client ${index + 1}` }) });
  }
}
