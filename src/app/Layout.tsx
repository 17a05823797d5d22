import {
  ActionIcon,
  Anchor,
  AppShell,
  Button,
  Group,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocation, useParams } from 'wouter';
import { RealmSwitcher } from '../features/realms/RealmSwitcher.tsx';
import { useSession } from '../keycloak/session-context.tsx';
import { paths } from '../paths.ts';

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon variant="default" aria-label={`Switch to ${next} theme`} onClick={() => setColorScheme(next)}>
      {computed === 'dark' ? '☀' : '☾'}
    </ActionIcon>
  );
}

/** The realm's screens, as plain links: each opens in a new tab too. */
function Navigation({ realm }: { realm: string }) {
  const [location] = useLocation();
  const screens = [
    { label: 'Clients', to: paths.clients.to({ realm }) },
    { label: 'Trust map', to: paths.trustMap.to({ realm }) },
  ];
  return (
    <nav aria-label="Screens">
      <Group gap="sm" wrap="nowrap">
        {screens.map((screen) => {
          const current = location === screen.to;
          return (
            <Anchor
              key={screen.to}
              href={`#${screen.to}`}
              size="sm"
              fw={current ? 700 : 400}
              aria-current={current ? 'page' : undefined}
            >
              {screen.label}
            </Anchor>
          );
        })}
      </Group>
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { auth } = useSession();
  const { realm } = useParams<{ realm?: string }>();
  const { user } = auth;
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h3">
              Audience Doctor
            </Title>
            {realm && <RealmSwitcher realm={realm} />}
            {realm && <Navigation realm={realm} />}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" aria-label="Signed-in user">
              {user.displayName}{' '}
              <Text span c="dimmed" size="sm">
                ({user.username} @ {user.realm})
              </Text>
            </Text>
            <ColorSchemeToggle />
            <Button variant="default" size="xs" onClick={() => void auth.signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
