import { Button, Menu } from '@mantine/core';
import { download } from '../../components/download.ts';
import type { AuditedRealm } from '../../keycloak/queries.ts';
import { formatCsv } from '../../report/format-csv.ts';
import { formatJson } from '../../report/format-json.ts';
import { toRealmReport } from '../../report/report.ts';

/** The whole realm's audit, whatever the filters, built-in clients included: the command line's schema. */
export function ExportMenu({ realm, audited }: { realm: string; audited: AuditedRealm }) {
  const stamp = new Date().toISOString().slice(0, 10);
  const report = () =>
    toRealmReport(audited.audit, { includeBuiltIn: true, keycloakVersion: audited.snapshot.keycloakVersion });
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button size="xs" variant="default">
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          onClick={() =>
            download(`audience-doctor-${realm}-${stamp}.json`, 'application/json', formatJson([report()], false))
          }
        >
          JSON
        </Menu.Item>
        <Menu.Item
          onClick={() => download(`audience-doctor-${realm}-${stamp}.csv`, 'text/csv', formatCsv([report()], false))}
        >
          CSV
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
