import pLimit from 'p-limit';
import type { RealmAudit } from '../audit/index.ts';
import { checkToken } from '../audit/verification.ts';
import type { AdminClient } from '../keycloak/admin.ts';
import { ApiError } from '../keycloak/errors.ts';
import { findUserByUsername, generateExampleToken } from '../keycloak/tokens.ts';
import type { TokenVerification } from '../report/report.ts';
import { CliFailure } from './failure.ts';

/** Example tokens generated at once; each is one request that Keycloak answers in a few milliseconds. */
const TOKEN_CONCURRENCY = 4;

/**
 * For each client that gets tokens of its own, the aud of the access token Keycloak would issue to this
 * user through it (default scopes only), and whether the verdict agrees. undefined: the realm has no such user.
 */
export async function verifyWithUser(
  admin: AdminClient,
  audit: RealmAudit,
  username: string,
  includeBuiltIn: boolean,
): Promise<Map<string, TokenVerification | null> | undefined> {
  const realm = audit.realm;
  const user = await findUserByUsername(admin, realm, username).catch((error: unknown) => {
    if (error instanceof ApiError && error.kind === 'forbidden') {
      throw new CliFailure(`--verify-user needs view-users in realm ${realm} to find user "${username}"`);
    }
    throw error;
  });
  if (!user) return undefined;

  const limit = pLimit(TOKEN_CONCURRENCY);
  const clients = audit.clients.filter((client) => includeBuiltIn || !client.builtIn);
  const entries = await Promise.all(
    clients.map((client) =>
      limit(async (): Promise<[string, TokenVerification | null]> => {
        if (client.verdict === 'not-applicable') return [client.id, null];
        const token = await generateExampleToken(admin, realm, client.id, user.id).catch((error: unknown) => {
          const why = error instanceof Error ? error.message : String(error);
          throw new CliFailure(`cannot generate a token for client ${client.clientId} in realm ${realm}: ${why}`);
        });
        const check = checkToken(client, token.aud);
        return [
          client.id,
          { user: username, aud: token.aud, ownInToken: check.ownInToken, agrees: check.agrees ?? null },
        ];
      }),
    ),
  );
  return new Map(entries);
}
