import type { TrustEdge } from '../audit/trust-map.ts';
import { csvRow } from './format-csv.ts';

export const TRUST_EDGES_SCHEMA_VERSION = 1;

export interface TrustEdgesExport {
  realm: string;
  /** True when the requirements are the admin's unsaved edits, not what the realm holds. */
  whatIf: boolean;
  edges: TrustEdge[];
}

const HEADER = ['realm', 'caller', 'audience', 'required', 'carried', 'perUser', 'source'];

/** RFC 4180 like the audit's CSV: a header, one row per edge, every cell quoted and safe from formulas, CRLF. */
export function formatEdgesCsv({ realm, edges }: TrustEdgesExport): string {
  const lines = [csvRow(HEADER)];
  for (const edge of edges) {
    lines.push(
      csvRow([
        realm,
        edge.caller,
        edge.audience,
        String(edge.required),
        edge.carried,
        String(edge.perUser),
        edge.source,
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function formatEdgesJson({ realm, whatIf, edges }: TrustEdgesExport): string {
  return `${JSON.stringify({ schemaVersion: TRUST_EDGES_SCHEMA_VERSION, realm, whatIf, edges }, null, 2)}\n`;
}
