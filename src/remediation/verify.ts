import { auditRealm } from '../audit/audit-realm.ts';
import type { RealmAudit, Verdict } from '../audit/findings.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import type { AdminClient } from '../keycloak/admin.ts';
import { toApiError } from '../keycloak/errors.ts';
import { loadSnapshot } from '../keycloak/snapshot.ts';
import { generateExampleToken, serviceAccountUserId } from '../keycloak/tokens.ts';

export interface TokenUser {
  id: string;
  label: string;
}

export interface ClientProof {
  clientId: string;
  /** The engine's verdict on the realm as it is now. */
  verdict: Verdict | undefined;
  /** Whose token was generated. */
  user: string | undefined;
  aud: string[] | undefined;
  /** The audience the token must carry: the client's own clientId, or the API's for a cross-client fix. */
  expected: string;
  /** Whether the generated token carries it. */
  expectedInToken: boolean | undefined;
  /** Why no token could be generated. */
  problem: string | undefined;
}

export interface Verification {
  snapshot: RealmSnapshot;
  audit: RealmAudit;
  proofs: ClientProof[];
}

/**
 * After a run: the realm audited again, and per fixed client a token Keycloak generates now, for its
 * service account or else for `user`, which must carry its own clientId (or `audience`). The token is the proof; the verdict shows the engine agrees.
 */
export async function verifyFix(
  admin: AdminClient,
  realm: string,
  clientIds: string[],
  user: TokenUser | undefined,
  audience?: string,
): Promise<Verification> {
  const snapshot = await loadSnapshot(admin, realm);
  const audit = auditRealm(snapshot);
  const proofs = await Promise.all(
    clientIds.map(async (clientId): Promise<ClientProof> => {
      const client = snapshot.clients.find((item) => item.clientId === clientId);
      const verdict = audit.clients.find((item) => item.clientId === clientId)?.verdict;
      const expected = audience ?? clientId;
      const empty = { clientId, verdict, expected, user: undefined, aud: undefined, expectedInToken: undefined };
      if (!client) return { ...empty, problem: 'The client no longer exists.' };
      try {
        const who = client.serviceAccountsEnabled
          ? { id: await serviceAccountUserId(admin, realm, client.id), label: `service account of ${clientId}` }
          : user;
        if (!who) {
          return {
            ...empty,
            problem: 'No user to generate a token for: it needs view-users, or sign in to this realm.',
          };
        }
        const token = await generateExampleToken(admin, realm, client.id, who.id);
        return {
          ...empty,
          user: who.label,
          aud: token.aud,
          expectedInToken: token.aud.includes(expected),
          problem: undefined,
        };
      } catch (error) {
        return { ...empty, problem: `Keycloak did not generate a token: ${toApiError(error).message}` };
      }
    }),
  );
  return { snapshot, audit, proofs };
}
