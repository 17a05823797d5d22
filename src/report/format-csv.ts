import type { ClientReport, RealmReport } from './report.ts';

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection), also after
 * leading blanks; such cells get a leading apostrophe so that they stay text.
 */
const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** One CSV line of quoted, formula-safe cells. */
export const csvRow = (cells: string[]) => cells.map(csvCell).join(',');

function evidenceCell(client: ClientReport): string {
  return client.evidence.map((item) => `${item.mapper.name} in ${item.container.name}`).join('; ');
}

/** "met api; unmet billing": audiences may hold spaces and colons (URLs), so status first. */
function requirementsCell(client: ClientReport): string {
  return client.requirements.map((requirement) => `${requirement.status} ${requirement.audience}`).join('; ');
}

/** RFC 4180: a header, one row per client, every cell quoted, CRLF line ends. */
export function formatCsv(reports: RealmReport[], verify: boolean): string {
  const header = [
    'realm',
    'clientId',
    'id',
    'verdict',
    'builtIn',
    'problems',
    'audiences',
    'evidence',
    'reason',
    'requirements',
    'unrequiredAudiences',
    'declaredBy',
    'builtInAudiences',
  ];
  if (verify) header.push('verifyUser', 'tokenAud', 'ownInToken', 'agrees');
  const lines = [csvRow(header)];
  for (const report of reports) {
    for (const client of report.clients) {
      const cells = [
        report.realm,
        client.clientId,
        client.id,
        client.verdict,
        String(client.builtIn),
        client.problems.map((problem) => problem.code).join(' '),
        client.audiences.join(' '),
        evidenceCell(client),
        client.reason,
        requirementsCell(client),
        client.unrequiredAudiences.join(' '),
        client.declaredBy.join(' '),
        client.builtInAudiences.join(' '),
      ];
      if (verify) {
        const verification = client.verification;
        cells.push(
          verification?.user ?? '',
          verification?.aud.join(' ') ?? '',
          verification ? String(verification.ownInToken) : '',
          verification?.agrees === null || !verification ? '' : String(verification.agrees),
        );
      }
      lines.push(csvRow(cells));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
