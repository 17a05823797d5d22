import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { DownloadFirst, useConfirmation } from '../../components/Confirmation.tsx';
import { download } from '../../components/download.ts';
import { queryKeys } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { activeRuns } from '../../remediation/active-runs.ts';
import type { RunJournal } from '../../remediation/journal.ts';
import { formatChars } from '../../remediation/journal-size.ts';
import {
  clearableJournals,
  clearQuestion,
  type JournalUsage,
  journalDownload,
  localJournalStore,
  removeJournals,
} from '../../remediation/journal-store.ts';

export const clearable = (journals: RunJournal[]) => clearableJournals(journals, activeRuns());

/**
 * Clearing journals, always after a confirmation that offers their download first. Journals of unfinished
 * runs are never offered: they must be rolled back or resumed before.
 */
export function useJournalClearing(realm: string) {
  const { config } = useSession();
  const queryClient = useQueryClient();
  const { ask, dialog } = useConfirmation();
  const [problem, setProblem] = useState<string>();
  const store = useMemo(() => localJournalStore(config.keycloakUrl, realm), [config.keycloakUrl, realm]);
  const askClear = async (journals: RunJournal[]) => {
    if (journals.length === 0) return;
    const question = clearQuestion(journals, realm);
    const confirmed = await ask({
      title: question.title,
      message: (
        <DownloadFirst
          text={question.text}
          label={question.downloadLabel}
          onDownload={() => {
            for (const journal of journals) download(journalDownload(journal));
          }}
        />
      ),
      confirmLabel: question.confirmLabel,
      danger: true,
    });
    if (!confirmed) return;
    setProblem(removeJournals(store, journals));
    await queryClient.invalidateQueries({ queryKey: queryKeys.runs(realm) });
  };
  return {
    askClearOne: (journal: RunJournal) => askClear([journal]),
    askClearFinished: (journals: RunJournal[]) => askClear(clearable(journals)),
    dialog,
    problem,
  };
}

/** How much of the browser's storage the journals use. */
export function usageText(realm: string, usage: JournalUsage): string {
  const others = usage.otherJournals > 0 ? `, journals of other realms ${formatChars(usage.otherJournals)}` : '';
  return (
    `Journals of realm ${realm} take ${formatChars(usage.realm)}${others}; ` +
    `this browser keeps ${formatChars(usage.quota)} for the dashboard, ${formatChars(Math.max(0, usage.quota - usage.used))} of it left.`
  );
}
