import type { RealmReport } from './report.ts';

/** One realm as an object; with --all-realms an array of them (even of one). */
export function formatJson(reports: RealmReport[], allRealms: boolean): string {
  return `${JSON.stringify(allRealms ? reports : reports[0], null, 2)}\n`;
}
