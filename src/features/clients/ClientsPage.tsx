import { Badge, Center, Container, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import type { ClientSummary } from '../../keycloak/clients.ts';
import { ApiError } from '../../keycloak/errors.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { useClients } from './clients-query.ts';

const typeLabels: Record<ClientSummary['type'], string> = {
  public: 'Public',
  confidential: 'Confidential',
  'bearer-only': 'Bearer-only',
};

function MissingPermission({ realm }: { realm: string }) {
  const { auth } = useSession();
  const { user } = auth;
  const where =
    user.realm === realm
      ? `the role view-clients of the client realm-management in realm "${realm}"`
      : `the role view-clients of the client "${realm}-realm" in realm "${user.realm}"`;
  return (
    <ErrorPanel
      color="orange"
      title={`You need view-clients in realm ${realm}`}
      fixes={[
        `Ask an administrator to give ${user.username} ${where} (manage-clients also works).`,
        'Then sign out and in again: Keycloak reads admin roles from the token.',
      ]}
    >
      <Text size="sm">
        {user.username} is signed in, but may not list the clients of realm {realm}.
      </Text>
    </ErrorPanel>
  );
}

function ClientsTable({ clients }: { clients: ClientSummary[] }) {
  return (
    <Table striped highlightOnHover aria-label="Clients">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Client ID</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th>Enabled</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {clients.map((client) => (
          <Table.Tr key={client.id}>
            <Table.Td>
              <Text ff="monospace" size="sm">
                {client.clientId}
              </Text>
            </Table.Td>
            <Table.Td>{client.name ?? ''}</Table.Td>
            <Table.Td>{typeLabels[client.type]}</Table.Td>
            <Table.Td>
              <Badge color={client.enabled ? 'green' : 'gray'} variant="light">
                {client.enabled ? 'Enabled' : 'Disabled'}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ClientsPage() {
  const { realm = '' } = useParams();
  const clients = useClients(realm);
  let body: ReactNode;
  if (clients.isPending) {
    body = (
      <Center py="xl">
        <Loader aria-label="Loading clients" />
      </Center>
    );
  } else if (clients.isError) {
    const error = clients.error;
    body =
      error instanceof ApiError && error.kind === 'forbidden' ? (
        <MissingPermission realm={realm} />
      ) : (
        <ErrorPanel title="The clients could not be loaded" fixes={['Reload the page to try again.']}>
          <Text size="sm">{error.message}</Text>
        </ErrorPanel>
      );
  } else {
    body = (
      <>
        <Text c="dimmed" size="sm">
          {clients.data.length} clients in realm {realm}
        </Text>
        <ClientsTable clients={clients.data} />
      </>
    );
  }
  return (
    <Container size="xl">
      <Stack gap="md">
        <Title order={2}>Clients</Title>
        {body}
      </Stack>
    </Container>
  );
}
