import pLimit from 'p-limit';
import { auditRealm } from '../audit/audit-realm.ts';
import type { ClientAudit, RealmAudit, Verdict } from '../audit/findings.ts';
import type { RealmSnapshot } from '../audit/snapshot.ts';
import { failureReason, type RemediationApi, type TokenUser } from './port.ts';

export type { TokenUser } from './port.ts';

/**
 * Who judged: an example token Keycloak generates from the admin API. It cannot see client policies, so
 * for a client under one it is named as such; the token endpoint itself is the stronger judge.
 */
export type Judge = 'example token' | 'example token, policy not applied';

export interface ClientProof {
  clientId: string;
  /** The engine's verdict on the realm as it is now. */
  verdict: Verdict | undefined;
  judge: Judge;
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

export interface VerifyRequest {
  realm: string;
  clientIds: string[];
  /** The audience the tokens must carry; each client's own clientId when absent. */
  audience?: string;
  /** Whom to generate a token for when a client has no service account; else some user of the realm. */
  user?: TokenUser;
  concurrency: number;
}

const judgeOf = (audit: ClientAudit | undefined): Judge =>
  audit && audit.exampleBlindSpots.length > 0 ? 'example token, policy not applied' : 'example token';

/**
 * After a run: the realm audited again, and per fixed client a token Keycloak generates now, for its
 * service account or else for a user, which must carry its own clientId (or the audience). The token is
 * the proof; the verdict shows the engine agrees.
 */
export async function verifyFix(api: RemediationApi, request: VerifyRequest): Promise<Verification> {
  const { realm, audience } = request;
  const snapshot = await api.loadSnapshot(realm);
  const audit = auditRealm(snapshot);
  let someone: Promise<TokenUser | undefined> | undefined;
  const fallbackUser = () => {
    someone ??= request.user ? Promise.resolve(request.user) : api.anyUser(realm).catch(() => undefined);
    return someone;
  };
  const limit = pLimit(Math.max(1, request.concurrency));
  const proofs = await Promise.all(
    request.clientIds.map((clientId) =>
      limit(async (): Promise<ClientProof> => {
        const client = snapshot.clients.find((item) => item.clientId === clientId);
        const clientAudit = audit.clients.find((item) => item.clientId === clientId);
        const expected = audience ?? clientId;
        const empty = {
          clientId,
          verdict: clientAudit?.verdict,
          judge: judgeOf(clientAudit),
          expected,
          user: undefined,
          aud: undefined,
          expectedInToken: undefined,
        };
        if (!client) return { ...empty, problem: 'The client no longer exists.' };
        try {
          const who = client.serviceAccountsEnabled
            ? { id: await api.serviceAccountUser(realm, client.id), label: `service account of ${clientId}` }
            : await fallbackUser();
          if (!who) {
            return {
              ...empty,
              problem: 'No user to generate a token for: it needs view-users, or sign in to this realm.',
            };
          }
          const aud = await api.exampleTokenAudience(realm, client.id, who.id);
          return { ...empty, user: who.label, aud, expectedInToken: aud.includes(expected), problem: undefined };
        } catch (error) {
          return { ...empty, problem: `Keycloak did not generate a token: ${failureReason(error)}` };
        }
      }),
    ),
  );
  return { snapshot, audit, proofs };
}
