import { attributeOn } from './client-settings.ts';
import type { AudienceHolder, ClientAudit, IntrospectionReadiness, RequirementStatus } from './findings.ts';
import type { ClientRep } from './snapshot.ts';
import { ruleApplies } from './version-rules.ts';

/** The per-client switch that lets a client introspect tokens not meant for it (deprecated by Keycloak). */
export const INTROSPECTION_WITHOUT_AUDIENCE_CHECK = 'allow.token.introspection.without.audience.check';

/**
 * For each client that other clients require in their tokens, or that has the switch on: who calls it and
 * whose tokens fail its introspection. AccessTokenIntrospectionProvider.verifyAudience accepts the token when
 * the introspecting clientId is in its aud (for a token without aud, in the aud that the introspection mappers
 * rebuild), else when the server-wide option (invisible to the Admin API) or this client's switch is on.
 * Public clients cannot introspect: they are left out.
 */
export function introspectionReadiness(
  clients: ClientRep[],
  audits: ClientAudit[],
  audienceIndex: Record<string, AudienceHolder[]>,
  version: string | undefined,
): Record<string, IntrospectionReadiness> {
  const callersOf = new Map<string, { clientId: string; status: RequirementStatus }[]>();
  for (const audit of audits) {
    for (const requirement of audit.requirements) {
      if (requirement.audience === audit.clientId) continue;
      const callers = callersOf.get(requirement.audience) ?? [];
      callers.push({ clientId: audit.clientId, status: requirement.status });
      callersOf.set(requirement.audience, callers);
    }
  }
  const checksAudience = ruleApplies('introspectionChecksAudience', version);
  const readiness: Record<string, IntrospectionReadiness> = {};
  for (const client of clients) {
    if (client.publicClient === true) continue;
    const callers = callersOf.get(client.clientId) ?? [];
    const withoutAudienceCheck = attributeOn(client, INTROSPECTION_WITHOUT_AUDIENCE_CHECK);
    if (callers.length === 0 && !withoutAudienceCheck) continue;
    readiness[client.clientId] = {
      checksAudience,
      withoutAudienceCheck,
      callers,
      failing: callers.filter((caller) => caller.status !== 'met').map((caller) => caller.clientId),
      carriedBy: audienceIndex[client.clientId] ?? [],
    };
  }
  return readiness;
}
