import { Select } from '@mantine/core';
import { useLocation } from 'wouter';
import { useRealms } from '../../keycloak/queries.ts';
import { paths } from '../../paths.ts';

/** The realms the admin may see; switching drops the other realm's filters and selection. */
export function RealmSwitcher({ realm }: { realm: string }) {
  const realms = useRealms();
  const [, navigate] = useLocation();
  const names = realms.data ?? [realm];
  return (
    <Select
      aria-label="Realm"
      size="xs"
      w={200}
      data={names.includes(realm) ? names : [realm, ...names]}
      value={realm}
      allowDeselect={false}
      onChange={(next) => {
        if (next && next !== realm) navigate(paths.clients.to({ realm: next }));
      }}
    />
  );
}
