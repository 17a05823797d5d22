import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { activeRuns, interruptedRuns } from '../../remediation/active-runs.ts';

/** The realm's run journals from local storage, read outside render and again whenever the runs key is invalidated. */
export function useRunJournals(realm: string) {
  const { config } = useSession();
  const journals = useQuery({
    queryKey: queryKeys.runs(realm),
    // The journal store validates with zod, which the first page need not load: it comes with the first read.
    queryFn: async () =>
      (await import('../../remediation/journal-store.ts')).localJournalStore(config.keycloakUrl, realm).list(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const all = journals.data ?? [];
  return { journals: all, interrupted: interruptedRuns(all, activeRuns()) };
}
