import type { RunJournal } from '../../remediation/journal.ts';
import { journalDownload } from '../../remediation/journal-store.ts';

/**
 * Saves journals as files, like components/download.ts. Kept apart on purpose: when the wizard imports that
 * module too, the bundler moves it and its neighbours out of the first page into a chunk of their own, and the
 * first load grows by 0.4 kB (npm run size).
 */
export function saveJournals(journals: RunJournal[]) {
  for (const journal of journals) {
    const file = journalDownload(journal);
    const url = URL.createObjectURL(new Blob([file.content], { type: file.type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.click();
    // Revoke after the click has been handled, or some browsers cancel the download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
