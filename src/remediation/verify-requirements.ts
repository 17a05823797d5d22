import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmAudit, RequirementVerdict, Verdict } from '../audit/findings.ts';
import { CALLERS_ATTRIBUTE, parseRequiresAttribute } from '../audit/requirements.ts';
import type { RemediationApi } from './port.ts';
import { attributeValue } from './settings-diff.ts';
import type { Plan } from './types.ts';

export interface RequirementsProof {
  clientId: string;
  attribute: string;
  written: string | null;
  /** What Keycloak holds now; null when absent. */
  now: string | null;
  /** The client's verdict against its requirements as they read now. */
  verdict: Verdict | undefined;
  requirements: RequirementVerdict[];
  /** A declaration written: each caller it names now, and whether that caller's tokens carry the client. */
  callers?: { clientId: string; status: RequirementVerdict['status'] | undefined }[];
}

/** After a requirements run: the realm read again, each attribute as Keycloak holds it, and the new verdicts. */
export async function verifyRequirements(
  api: RemediationApi,
  plan: Plan,
): Promise<{ audit: RealmAudit; proofs: RequirementsProof[] }> {
  const snapshot = await api.loadSnapshot(plan.realm);
  const audit = auditRealm(snapshot);
  const proofs = plan.steps.flatMap(({ write }): RequirementsProof[] => {
    if (write.kind !== 'set-client-attribute') return [];
    const client = snapshot.clients.find((item) => item.id === write.client.id);
    const clientAudit = audit.clients.find((item) => item.id === write.client.id);
    const declared = write.name === CALLERS_ATTRIBUTE ? parseRequiresAttribute(write.value ?? undefined) : undefined;
    const callers = declared?.ok
      ? declared.audiences.map((clientId) => ({
          clientId,
          status: audit.clients
            .find((item) => item.clientId === clientId)
            ?.requirements.find((item) => item.audience === write.client.clientId)?.status,
        }))
      : undefined;
    return [
      {
        ...(callers ? { callers } : {}),
        clientId: write.client.clientId,
        attribute: write.name,
        written: write.value,
        now: attributeValue(client, write.name),
        verdict: clientAudit?.verdict,
        requirements: clientAudit?.requirements ?? [],
      },
    ];
  });
  return { audit, proofs };
}
