import { AppShell, Badge, Button, Group, Text, Title } from '@mantine/core';
import { Outlet, useParams } from 'react-router';
import { useSession } from '../keycloak/session-context.tsx';

export function Layout() {
  const { auth } = useSession();
  const { realm } = useParams();
  const { user } = auth;
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Title order={1} size="h3">
              Audience Doctor
            </Title>
            {realm && (
              <Badge variant="light" size="lg" aria-label={`Realm ${realm}`}>
                realm: {realm}
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            <Text size="sm" aria-label="Signed-in user">
              {user.displayName}{' '}
              <Text span c="dimmed" size="sm">
                ({user.username} @ {user.realm})
              </Text>
            </Text>
            <Button variant="default" size="xs" onClick={() => void auth.signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
