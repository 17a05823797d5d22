import { Button, Menu } from '@mantine/core';
import { download } from '../../components/download.ts';
import type { AuditedRealm } from '../../keycloak/queries.ts';

/** The report formatters load on the first export, not with the first page. */
const formatters = () =>
  Promise.all([
    import('../../report/report.ts'),
    import('../../report/format-json.ts'),
    import('../../report/format-csv.ts'),
  ]).then(([report, json, csv]) => ({ ...report, ...json, ...csv }));

/** The whole realm's audit, whatever the filters, built-in clients included: the command line's schema. */
export function ExportMenu({ realm, audited }: { realm: string; audited: AuditedRealm }) {
  const stamp = new Date().toISOString().slice(0, 10);
  const save = async (format: 'json' | 'csv') => {
    const { toRealmReport, formatJson, formatCsv } = await formatters();
    const report = toRealmReport(audited.audit, {
      includeBuiltIn: true,
      keycloakVersion: audited.snapshot.keycloakVersion,
    });
    if (format === 'json') {
      download({
        fileName: `audience-doctor-${realm}-${stamp}.json`,
        type: 'application/json',
        content: formatJson([report], false),
      });
    } else {
      download({
        fileName: `audience-doctor-${realm}-${stamp}.csv`,
        type: 'text/csv',
        content: formatCsv([report], false),
      });
    }
  };
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button size="xs" variant="default">
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => save('json')}>JSON</Menu.Item>
        <Menu.Item onClick={() => save('csv')}>CSV</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
