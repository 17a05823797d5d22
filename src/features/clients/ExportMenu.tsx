import { Button, Menu } from '@mantine/core';
import { toCsv, toReport } from '../../audit/report.ts';
import type { AuditedRealm } from '../../keycloak/queries.ts';

function download(fileName: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The whole realm's audit, whatever the filters: the same schema as the command line's JSON. */
export function ExportMenu({ realm, audited }: { realm: string; audited: AuditedRealm }) {
  const stamp = new Date().toISOString().slice(0, 10);
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
            download(
              `audience-doctor-${realm}-${stamp}.json`,
              'application/json',
              `${JSON.stringify(toReport(audited.audit, audited.snapshot.keycloakVersion), null, 2)}\n`,
            )
          }
        >
          JSON
        </Menu.Item>
        <Menu.Item
          onClick={() => download(`audience-doctor-${realm}-${stamp}.csv`, 'text/csv', toCsv([audited.audit]))}
        >
          CSV
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
