import type { ClientAudit } from './findings.ts';

/** A plain ClientAudit for tests: a confidential client whose own clientId is missing, unless told otherwise. */
export function clientAuditFixture(clientId: string, partial: Partial<ClientAudit> = {}): ClientAudit {
  return {
    id: `id-${clientId}`,
    clientId,
    name: undefined,
    kind: 'confidential',
    builtIn: false,
    lightweight: false,
    verdict: 'missing',
    reason: '',
    evidence: [],
    problems: [],
    audiences: [],
    conditionalAudiences: [],
    roleAudiences: true,
    ...partial,
  };
}
