import type { Evidence, Problem, RealmAudit, Verdict } from './findings.ts';

/** The audit as the JSON export and the CLI give it: one stable schema. */
export interface AuditReport {
  realm: string;
  keycloakVersion: string | null;
  clients: {
    clientId: string;
    id: string;
    verdict: Verdict;
    evidence: Evidence[];
    problems: Problem[];
    audiences: string[];
    builtIn: boolean;
  }[];
}

export function toReport(audit: RealmAudit, keycloakVersion: string | undefined, includeBuiltIn = true): AuditReport {
  return {
    realm: audit.realm,
    keycloakVersion: keycloakVersion ?? null,
    clients: audit.clients
      .filter((client) => includeBuiltIn || !client.builtIn)
      .map(({ clientId, id, verdict, evidence, problems, audiences, builtIn }) => ({
        clientId,
        id,
        verdict,
        evidence,
        problems,
        audiences,
        builtIn,
      })),
  };
}

/**
 * A spreadsheet must not run a cell as a formula: cells that start like one get a leading quote,
 * and every cell is quoted.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const CSV_COLUMNS = ['realm', 'clientId', 'id', 'verdict', 'builtIn', 'audiences', 'problems', 'reason'];

export function toCsv(audits: RealmAudit[], includeBuiltIn = true): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const audit of audits) {
    for (const client of audit.clients) {
      if (!includeBuiltIn && client.builtIn) continue;
      const cells = [
        audit.realm,
        client.clientId,
        client.id,
        client.verdict,
        String(client.builtIn),
        client.audiences.join(' '),
        client.problems.map((problem) => problem.code).join(' '),
        client.reason,
      ];
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
