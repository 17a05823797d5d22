import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { activeRuns } from '../../remediation/active-runs.ts';
import { interruptedRuns, localJournalStore } from '../../remediation/journal.ts';

/** The realm's run journals from local storage, read outside render and again whenever the runs key is invalidated. */
export function useRunJournals(realm: string) {
  const { config } = useSession();
  const journals = useQuery({
    queryKey: queryKeys.runs(realm),
    queryFn: () => localJournalStore(config.keycloakUrl, realm).list(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const all = journals.data ?? [];
  return { journals: all, interrupted: interruptedRuns(all, activeRuns()) };
}
