import { attributeOn } from './client-settings.ts';
import type { AudienceHolder, ClientAudit, ExchangeReadiness } from './findings.ts';
import type { ClientRep } from './snapshot.ts';
import { ruleApplies } from './version-rules.ts';

export const STANDARD_TOKEN_EXCHANGE = 'standard.token.exchange.enabled';

export function exchangeReadiness(
  clients: ClientRep[],
  audits: ClientAudit[],
  audienceIndex: Record<string, AudienceHolder[]>,
  version: string | undefined,
): Record<string, ExchangeReadiness> {
  const readiness: Record<string, ExchangeReadiness> = {};
  const exchanging = clients.filter((client) => attributeOn(client, STANDARD_TOKEN_EXCHANGE));
  // Most realms have none: the lookups below are built only when one has it.
  if (exchanging.length === 0) return readiness;
  const available = ruleApplies('standardTokenExchange', version);
  const enabled = new Set(clients.filter((client) => client.enabled !== false).map((client) => client.clientId));
  const auditOf = new Map(audits.map((audit) => [audit.clientId, audit]));
  for (const client of exchanging) {
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
