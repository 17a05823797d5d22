import { Alert, Badge, Button, Code, Group, List, MultiSelect, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClientAudit } from '../../audit/findings.ts';
import type { ClientRep } from '../../audit/snapshot.ts';
import { checkToken } from '../../audit/verification.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import type { RealmAccess } from '../../keycloak/access.ts';
import { useUserSearch } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { generateExampleToken, serviceAccountUserId } from '../../keycloak/tokens.ts';

const SERVICE_ACCOUNT = 'service-account';
const MYSELF = 'myself';

interface Props {
  realm: string;
  audit: ClientAudit;
  client: ClientRep;
  access: RealmAccess | undefined;
}

/** What an example token cannot show for this client, so that a real token may differ. */
function ExampleBlindSpots({ blindSpots }: { blindSpots: string[] }) {
  if (blindSpots.length === 0) {
    return (
      <Text size="sm" role="note" aria-label="What example tokens cannot show">
        Example tokens skip client policies, grant and consent checks and token post-processors; to see their effect,
        paste a real token below.
      </Text>
    );
  }
  return (
    <Stack gap={4} role="region" aria-label="What example tokens cannot show">
      <Text size="sm" fw={600}>
        What an example token cannot show for this client
      </Text>
      <List size="sm">
        {blindSpots.map((blindSpot) => (
          <List.Item key={blindSpot}>{blindSpot}</List.Item>
        ))}
      </List>
      <Text size="sm" c="dimmed">
        To see what a real token carries, paste one below.
      </Text>
    </Stack>
  );
}

/** Proof with a token Keycloak generates for a chosen user (evaluate-scopes/generate-example-access-token). */
export function VerifyWithToken({ realm, audit, client, access }: Props) {
  const { admin, auth } = useSession();
  const [userChoice, setUserChoice] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [scopes, setScopes] = useState<string[]>([]);
  const canSearch = access?.canViewUsers === true;
  const users = useUserSearch(realm, debounced, canSearch);

  const fixedChoices = [
    ...(auth.user.realm === realm && auth.user.id
      ? [{ value: MYSELF, label: `Yourself (${auth.user.username})` }]
      : []),
    ...(client.serviceAccountsEnabled
      ? [{ value: SERVICE_ACCOUNT, label: `Service account of ${audit.clientId}` }]
      : []),
  ];
  const choices = [...fixedChoices, ...(users.data ?? []).map((user) => ({ value: user.id, label: user.label }))];

  const generate = useMutation({
    mutationFn: async () => {
      let userId = userChoice;
      if (userChoice === SERVICE_ACCOUNT) userId = await serviceAccountUserId(admin, realm, audit.id);
      if (userChoice === MYSELF) userId = auth.user.id ?? null;
      if (!userId) throw new Error('Choose a user first.');
      const token = await generateExampleToken(admin, realm, audit.id, userId, scopes);
      return { token, scopes: [...scopes], check: checkToken(audit, token.aud, scopes) };
    },
  });

  const result = generate.data;
  const heading = (
    <>
      <Title order={3} size="h5">
        Check with an example token
      </Title>
      <Text size="sm" c="dimmed">
        Keycloak generates an example of the access token it would issue to this client for the chosen user. Nothing is
        signed, no session is kept.
      </Text>
      <ExampleBlindSpots blindSpots={audit.exampleBlindSpots} />
    </>
  );
  // Keycloak generates example tokens only for users the admin may view: its own account and service accounts too.
  if (access && !access.canViewUsers) {
    return (
      <Stack gap="sm" aria-label="Check with an example token">
        {heading}
        <Alert color="gray" title="Needs view-users">
          Keycloak generates an example token only for a user you may view, even for yourself or a service account. Ask
          an administrator for the role view-users of {access.roleClient} for realm {realm}, then sign out and in again.
        </Alert>
      </Stack>
    );
  }
  return (
    <Stack gap="sm" aria-label="Check with an example token">
      {heading}
      <Group align="end">
        <Select
          label="User"
          placeholder={canSearch ? 'Search users' : 'Choose'}
          data={choices}
          value={userChoice}
          onChange={setUserChoice}
          searchable={canSearch}
          onSearchChange={setSearch}
          nothingFoundMessage={canSearch ? 'No user found' : undefined}
          w={280}
        />
        <MultiSelect
          label="Optional scopes to request"
          data={client.optionalClientScopes ?? []}
          value={scopes}
          onChange={setScopes}
          w={280}
          clearable
        />
        <Button onClick={() => generate.mutate()} loading={generate.isPending} disabled={!userChoice}>
          Generate token
        </Button>
      </Group>
      {!canSearch && (
        <Text size="xs" c="dimmed">
          Searching users needs view-users in realm {realm}
          {fixedChoices.length ? '; you can still use the choices above.' : '.'}
        </Text>
      )}
      {generate.isError && (
        <ErrorPanel title="Keycloak did not generate a token">
          <Text size="sm">{generate.error.message}</Text>
        </ErrorPanel>
      )}
      {result && (
        <Stack gap="xs" aria-label="Token result">
          {result.check.agrees === undefined ? (
            <Alert color="gray" title="No prediction to compare">
              {result.check.ownInToken ? `${audit.clientId} is in aud.` : `${audit.clientId} is not in aud.`} The
              verdict depends on what the configuration does not show (or on the user's roles).
            </Alert>
          ) : result.check.agrees ? (
            <Alert color="green" title="✔ Agrees with the prediction">
              {result.check.ownInToken
                ? `${audit.clientId} is in aud, as predicted.`
                : `${audit.clientId} is not in aud, as predicted.`}
            </Alert>
          ) : (
            <Alert color="red" title="✘ Disagrees with the prediction">
              {result.check.ownInToken
                ? `${audit.clientId} is in aud, but was predicted missing.`
                : `${audit.clientId} is not in aud, but was predicted present.`}
            </Alert>
          )}
          <Group gap={4} aria-label="Token aud">
            <Text size="sm" fw={600}>
              aud:
            </Text>
            {result.token.aud.length === 0 ? (
              <Text size="sm" fs="italic">
                (no aud claim)
              </Text>
            ) : (
              result.token.aud.map((value) => (
                <Badge key={value} variant={value === audit.clientId ? 'filled' : 'light'} tt="none">
                  {value}
                </Badge>
              ))
            )}
          </Group>
          <Text size="sm">
            <b>azp:</b> {result.token.azp ?? '(none)'} · <b>scope:</b> {result.token.scope ?? '(none)'}
          </Text>
          <Text size="sm" fw={600}>
            resource_access:
          </Text>
          <Code block>{JSON.stringify(result.token.resourceAccess, null, 2)}</Code>
          <Text size="xs" c="dimmed">
            Tokens already issued keep their old aud until they are refreshed or the user signs in again.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
