import { clientKind } from './client-settings.ts';
import type { ClientPoliciesSnapshot, ClientPolicyCondition, ClientRep } from './snapshot.ts';

export const LIGHTWEIGHT_EXECUTOR = 'use-lightweight-access-token';

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];

/**
 * Whether a condition may hold for the client. Only conditions decided by the client's settings are
 * evaluated; any other (roles, IP, grant type…) may hold, so it counts as "may".
 */
function conditionMayHold(condition: ClientPolicyCondition, client: ClientRep): boolean {
  const configuration = condition.configuration ?? {};
  const negativeLogic = configuration['is-negative-logic'];
  const negate = negativeLogic === true || negativeLogic === 'true';
  let holds: boolean;
  switch (condition.condition) {
    case 'any-client':
      holds = true;
      break;
    case 'client-access-type': {
      const kind = clientKind(client);
      const type = kind === 'public' || kind === 'bearer-only' ? kind : 'confidential';
      holds = list(configuration.type).includes(type);
      break;
    }
    case 'client-scopes': {
      const optional = list(configuration.type).some((type) => type.toLowerCase() === 'optional');
      const names = optional ? (client.optionalClientScopes ?? []) : (client.defaultClientScopes ?? []);
      holds = list(configuration.scopes).some((scope) => names.includes(scope));
      break;
    }
    default:
      return true;
  }
  return negate ? !holds : holds;
}

/** The enabled policies that may switch this client to lightweight access tokens. */
export function lightweightPolicies(policies: ClientPoliciesSnapshot, client: ClientRep): string[] {
  const lightweightProfiles = new Set(
    policies.profiles
      .filter((profile) => profile.executors?.some((executor) => executor.executor === LIGHTWEIGHT_EXECUTOR))
      .map((profile) => profile.name),
  );
  return policies.policies
    .filter((policy) => policy.enabled !== false)
    .filter((policy) => policy.profiles?.some((name) => lightweightProfiles.has(name)))
    .filter((policy) => {
      const conditions = policy.conditions ?? [];
      // A policy without conditions never applies.
      return conditions.length > 0 && conditions.every((condition) => conditionMayHold(condition, client));
    })
    .map((policy) => policy.name);
}
