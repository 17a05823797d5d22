import { formatCsv } from '../report/format-csv.ts';
import { formatJson } from '../report/format-json.ts';
import type { RealmReport } from '../report/report.ts';
import { formatSarif, type SarifTool } from './format-sarif.ts';
import { ansi, formatTable, plain } from './format-table.ts';
import type { Format } from './options.ts';

export interface RenderOptions {
  format: Format;
  allRealms: boolean;
  verify: boolean;
  /** Only for the table, and only on a terminal. */
  color: boolean;
  tool: SarifTool;
}

export function render(reports: RealmReport[], options: RenderOptions): string {
  switch (options.format) {
    case 'json':
      return formatJson(reports, options.allRealms);
    case 'csv':
      return formatCsv(reports, options.verify);
    case 'sarif':
      return formatSarif(reports, options.tool);
    case 'table':
      return formatTable(reports, options.color ? ansi : plain);
  }
}
