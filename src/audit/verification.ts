import type { ClientAudit } from './findings.ts';

export interface TokenCheck {
  /** Whether the client's own clientId is in the example token's aud. */
  ownInToken: boolean;
  /** Whether the engine predicted it for a token with these optional scopes and no role-restricted scope. */
  predicted: boolean | undefined;
  /** undefined when the verdict makes no prediction (unpredictable, not applicable). */
  agrees: boolean | undefined;
}

/**
 * Compares the engine's verdict with a real example token's aud. Role-restricted scopes depend on the
 * user's roles, so for them only what the token shows counts.
 */
export function checkToken(audit: ClientAudit, aud: string[], requestedOptionalScopes: string[] = []): TokenCheck {
  const ownInToken = aud.includes(audit.clientId);
  if (audit.verdict === 'unpredictable' || audit.verdict === 'not-applicable') {
    return { ownInToken, predicted: undefined, agrees: undefined };
  }
  const viaRequested = audit.conditionalAudiences.some(
    ({ value, container }) =>
      value === audit.clientId && container.applies === 'optional' && requestedOptionalScopes.includes(container.name),
  );
  const viaRoles = audit.conditionalAudiences.some(
    ({ value, container }) => value === audit.clientId && container.applies === 'role-restricted',
  );
  const always = audit.audiences.includes(audit.clientId);
  if (!always && !viaRequested && viaRoles) return { ownInToken, predicted: undefined, agrees: undefined };
  const predicted = always || viaRequested;
  return { ownInToken, predicted, agrees: predicted === ownInToken };
}
