import type { Verdict } from '../audit/index.ts';
import type { ClientReport, RealmReport } from '../report/report.ts';

export interface Paint {
  verdict(verdict: Verdict, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const plain: Paint = { verdict: (_, text) => text, dim: (text) => text, bold: (text) => text };

const ANSI: Record<Verdict, number> = {
  ok: 32,
  missing: 31,
  conditional: 33,
  unpredictable: 35,
  'not-applicable': 2,
  'cannot-judge': 36,
};
const sgr = (code: number, text: string) => `\u001b[${code}m${text}\u001b[0m`;

export const ansi: Paint = {
  verdict: (verdict, text) => sgr(ANSI[verdict], text),
  dim: (text) => sgr(2, text),
  bold: (text) => sgr(1, text),
};

const ORDER: Verdict[] = ['missing', 'cannot-judge', 'conditional', 'unpredictable', 'ok', 'not-applicable'];

function summary(report: RealmReport): string {
  const counts = ORDER.map(
    (verdict) => [verdict, report.clients.filter((client) => client.verdict === verdict).length] as const,
  ).filter(([, count]) => count > 0);
  const version = report.keycloakVersion ? ` (Keycloak ${report.keycloakVersion})` : '';
  const total = `${report.clients.length} client${report.clients.length === 1 ? '' : 's'}`;
  return `Realm ${report.realm}${version}: ${total}${counts.length ? `, ${counts.map(([verdict, count]) => `${count} ${verdict}`).join(', ')}` : ''}`;
}

function tokenCell(client: ClientReport): string {
  const verification = client.verification;
  if (!verification) return '-';
  const agreement = verification.agrees === null ? '' : verification.agrees ? ' (agrees)' : ' (DISAGREES)';
  return `${verification.aud.join(' ') || '(none)'}${agreement}`;
}

/** Worst clients first; each client's problems indented under it. Colour comes from `paint`. */
export function formatTable(reports: RealmReport[], paint: Paint = plain): string {
  const out: string[] = [];
  for (const report of reports) {
    if (out.length) out.push('');
    out.push(paint.bold(summary(report)));
    if (report.cannotJudge) out.push(paint.verdict('cannot-judge', `cannot judge: ${report.cannotJudge}`));
    const clients = [...report.clients].sort(
      (a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || a.clientId.localeCompare(b.clientId),
    );
    const verify = clients.some((client) => client.verification !== undefined);
    const header = ['CLIENT', 'VERDICT', 'AUDIENCES', ...(verify ? ['TOKEN AUD'] : []), 'WHY'];
    const rows = clients.map((client) => [
      client.clientId + (client.builtIn ? ' (built-in)' : ''),
      client.verdict,
      client.audiences.join(' ') || '-',
      ...(verify ? [tokenCell(client)] : []),
      client.reason,
    ]);
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
    );
    const line = (cells: string[], color: (column: number, text: string) => string) =>
      cells
        .map((cell, column) => {
          const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
          return color(column, padded);
        })
        .join('  ')
        .trimEnd();
    out.push(line(header, (_, text) => paint.dim(text)));
    clients.forEach((client, index) => {
      out.push(line(rows[index] ?? [], (column, text) => (column === 1 ? paint.verdict(client.verdict, text) : text)));
      for (const problem of client.problems) out.push(`    ${paint.dim(`${problem.code}:`)} ${problem.message}`);
    });
    if (clients.length === 0 && !report.cannotJudge) out.push(paint.dim('(no clients to report)'));
    for (const note of report.notes) out.push(paint.dim(`note: ${note}`));
  }
  return `${out.join('\n')}\n`;
}
