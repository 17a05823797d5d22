import { attributeOn } from './client-settings.ts';
import type { AudienceHolder, ClientAudit } from './findings.ts';
import type { ClientRep } from './snapshot.ts';
import { ruleApplies } from './version-rules.ts';

export const STANDARD_TOKEN_EXCHANGE = 'standard.token.exchange.enabled';

/** Whose tokens a client with standard token exchange (V2) may exchange, and what it may narrow them to. */
export interface ExchangeReadiness {
  /** Whether this Keycloak has standard token exchange (26.2 and later); undefined when the version is unknown. */
  available: boolean | undefined;
  /** Keycloak refuses the exchange to a public client ("Public client is not allowed to exchange token"). */
  publicClient: boolean;
  /**
   * The clients whose tokens carry this one in aud, always or for some logins: the tokens it may exchange
   * besides its own (StandardTokenExchangeProvider.validateAudience: "Client is not within the token audience").
   */
  acceptsTokensOf: AudienceHolder[];
  /**
   * What its `audience` parameter can narrow the new token to: the enabled clients that its own mappers and
   * scopes put in its tokens (V2 only filters aud, it never adds: a requested audience absent from the result
   * fails with "Requested audience not available").
   */
  narrowsTo: string[];
}

export function exchangeReadiness(
  clients: ClientRep[],
  audits: ClientAudit[],
  audienceIndex: Record<string, AudienceHolder[]>,
  version: string | undefined,
): Record<string, ExchangeReadiness> {
  const available = ruleApplies('standardTokenExchange', version);
  const enabled = new Set(clients.filter((client) => client.enabled !== false).map((client) => client.clientId));
  const auditOf = new Map(audits.map((audit) => [audit.clientId, audit]));
  const readiness: Record<string, ExchangeReadiness> = {};
  for (const client of clients) {
    if (!attributeOn(client, STANDARD_TOKEN_EXCHANGE)) continue;
    const audit = auditOf.get(client.clientId);
    const carried = new Set([
      ...(audit?.audiences ?? []),
      ...(audit?.conditionalAudiences ?? []).map((item) => item.value),
    ]);
    readiness[client.clientId] = {
      available,
      publicClient: client.publicClient === true,
      acceptsTokensOf: (audienceIndex[client.clientId] ?? []).filter((holder) => holder.clientId !== client.clientId),
      narrowsTo: [...carried].filter((audience) => enabled.has(audience)).sort(),
    };
  }
  return readiness;
}
