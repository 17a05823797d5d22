import { Alert, Anchor, Badge, Button, Drawer, Group, List, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useParams, useSearchParams } from 'wouter';
import type { ClientAudit, ContainerRef, RequirementStatus } from '../../audit/findings.ts';
import { whyNotFixable } from '../../audit/fixability.ts';
import { CALLERS_ATTRIBUTE, hasStatedRequirements, REQUIRES_ATTRIBUTE } from '../../audit/requirements.ts';
import type { ClientRep, ClientScopeRep } from '../../audit/snapshot.ts';
import { AudienceHolderList, appliesText } from '../../components/AudienceHolderList.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { adminConsoleUrl } from '../../config/config.ts';
import { consoleLinks } from '../../keycloak/console-links.ts';
import { useRealmAccess, useRealmAudit, whyFixWaits } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { affectsAud, type MapperRow, mapperRow } from './mapper-rows.ts';
import { PastedTokenCheck } from './PastedTokenCheck.tsx';
import { VerifyWithToken } from './VerifyWithToken.tsx';

const containerText = (container: ContainerRef) =>
  container.type === 'client'
    ? 'the client itself (Dedicated scope)'
    : `client scope "${container.name}" (${container.attachment})`;

function mapperRows(client: ClientRep, scopes: Map<string, ClientScopeRep>): MapperRow[] {
  const rows = (client.protocolMappers ?? [])
    .filter(affectsAud)
    .map((mapper) => mapperRow(`${client.clientId}-dedicated`, 'dedicated', mapper));
  const fromScopes = (names: string[] | undefined, attachment: 'default' | 'optional') =>
    (names ?? []).flatMap((name) =>
      (scopes.get(name)?.protocolMappers ?? []).filter(affectsAud).map((mapper) => mapperRow(name, attachment, mapper)),
    );
  return [
    ...rows,
    ...fromScopes(client.defaultClientScopes, 'default'),
    ...fromScopes(client.optionalClientScopes, 'optional'),
  ];
}

function PredictedAud({ audit }: { audit: ClientAudit }) {
  return (
    <Stack gap={4} aria-label="Predicted aud">
      <Group gap={4}>
        <Text size="sm" fw={600}>
          For every user:
        </Text>
        {audit.audiences.length === 0 ? (
          <Text size="sm" fs="italic">
            nothing
          </Text>
        ) : (
          audit.audiences.map((value) => (
            <Badge key={value} tt="none" variant={value === audit.clientId ? 'filled' : 'light'}>
              {value}
            </Badge>
          ))
        )}
      </Group>
      {audit.conditionalAudiences.map(({ value, container }) => (
        <Text key={`${value}-${container.id}`} size="sm">
          <Badge tt="none" variant="outline">
            {value}
          </Badge>{' '}
          from scope "{container.name}", {appliesText[container.applies]}
        </Text>
      ))}
      {audit.roleAudiences && (
        <Text size="sm" c="dimmed">
          Plus every other client the user holds a client role of (the Audience Resolve mapper of the roles scope).
        </Text>
      )}
    </Stack>
  );
}

function FixButton({
  blocked,
  label,
  onFix,
  secondary = false,
}: {
  blocked: string | undefined;
  label: string;
  onFix: () => void;
  secondary?: boolean;
}) {
  return (
    <Tooltip label={blocked} disabled={!blocked} multiline w={300}>
      <Button
        size={secondary ? 'xs' : 'sm'}
        variant={secondary ? 'light' : 'filled'}
        onClick={onFix}
        disabled={blocked !== undefined}
        w="fit-content"
      >
        {label}
      </Button>
    </Tooltip>
  );
}

const STATUS_COLOR: Record<RequirementStatus, string> = { met: 'green', conditional: 'yellow', unmet: 'red' };

const SOURCE_TEXT: Record<Exclude<ClientAudit['requirementSource'], 'default'>, string> = {
  attribute: `its attribute "${REQUIRES_ATTRIBUTE}"`,
  file: 'the requirements file',
};

/** Each audience the client's tokens must carry, whether they do, and the fix for one they do not. */
function Requirements({
  audit,
  isClient,
  blocked,
  onCarry,
}: {
  audit: ClientAudit;
  isClient: (clientId: string) => boolean;
  blocked: string | undefined;
  /** `custom`: the audience names no client, so it is added as a custom audience. */
  onCarry: (audience: string, custom: boolean) => void;
}) {
  if (!hasStatedRequirements(audit)) return null;
  const declared =
    audit.declaredBy.length === 0
      ? ''
      : ` ${audit.declaredBy.join(', ')} ${audit.declaredBy.length === 1 ? 'names' : 'name'} it a caller (${CALLERS_ATTRIBUTE}), which requires ${audit.declaredBy.length === 1 ? 'that clientId' : 'those clientIds'} too.`;
  return (
    <Stack gap={4} aria-label="Requirements">
      <Title order={3} size="h5">
        What its tokens must carry
      </Title>
      <Text size="sm" c="dimmed">
        {audit.requirementSource === 'default'
          ? 'Its own clientId, by default.'
          : `As ${SOURCE_TEXT[audit.requirementSource]} says${audit.requirements.length === 0 ? ': nothing.' : '.'}`}
        {declared}
      </Text>
      <List size="sm" listStyleType="none" spacing={6}>
        {audit.requirements.map((requirement) => (
          <List.Item key={requirement.audience} data-requirement={requirement.audience}>
            <Group gap="xs" wrap="nowrap" align="start">
              <Badge color={STATUS_COLOR[requirement.status]} variant="light" tt="none" miw={96}>
                {requirement.status}
              </Badge>
              <Stack gap={4}>
                <Text size="sm">
                  <b>{requirement.audience}</b>: {requirement.reason}
                </Text>
                {requirement.status !== 'met' && requirement.audience !== audit.clientId && (
                  <FixButton
                    blocked={blocked}
                    label={`Put ${isClient(requirement.audience) ? '' : 'custom audience '}${requirement.audience} into its tokens…`}
                    secondary
                    onFix={() => onCarry(requirement.audience, !isClient(requirement.audience))}
                  />
                )}
              </Stack>
            </Group>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/**
 * The Drawer renders its title as the <h2> that names the dialog: it gets plain text, never a <Title>
 * (a heading in a heading), and this look of <Title order={2} size="h3">.
 */
const drawerTitle = {
  fontSize: 'var(--mantine-h3-font-size)',
  lineHeight: 'var(--mantine-h3-line-height)',
  fontWeight: 'var(--mantine-h2-font-weight)',
};

export function ClientDetailDrawer({
  onFix,
  onAddAudience,
}: {
  onFix: (clientIds: string[]) => void;
  /**
   * Put `audience` into the tokens of clients that call it (chosen in the wizard unless named); `custom`: it
   * is a custom audience, not a clientId.
   */
  onAddAudience: (audience: string, callers?: string[], custom?: boolean) => void;
}) {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params, setParams] = useSearchParams();
  const clientUuid = params.get('client');
  const { config, auth } = useSession();
  const audited = useRealmAudit(realm);
  const access = useRealmAccess(realm);
  const close = () =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete('client');
      return next;
    });

  const audit = audited.data?.audit.clients.find((candidate) => candidate.id === clientUuid);
  const client = audited.data?.snapshot.clients.find((candidate) => candidate.id === clientUuid);
  const scopes = new Map((audited.data?.snapshot.clientScopes ?? []).map((scope) => [scope.name, scope]));
  const isClient = (clientId: string) =>
    audited.data?.snapshot.clients.some((candidate) => candidate.clientId === clientId) ?? false;
  const holders = audit ? (audited.data?.audit.audienceIndex[audit.clientId] ?? []) : [];
  const blocked = whyFixWaits(audited.data, access.data, realm);
  const links = audit ? consoleLinks(adminConsoleUrl(config), auth.user.realm, realm, audit.id) : undefined;

  return (
    <Drawer
      opened={clientUuid !== null}
      onClose={close}
      position="right"
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close client details' }}
      title={audit ? audit.clientId : 'Client'}
      styles={{ title: drawerTitle }}
    >
      {clientUuid !== null && audited.data && (!audit || !client) && (
        <Alert color="orange" title="No such client">
          Realm {realm} has no client with id {clientUuid}.
        </Alert>
      )}
      {audit && client && links && (
        <Stack gap="lg">
          <Stack gap="xs">
            <Group gap="xs">
              <VerdictBadge verdict={audit.verdict} />
              {audit.name && <Text c="dimmed">{audit.name}</Text>}
            </Group>
            <Text aria-label="Explanation">{audit.reason}</Text>
            {!whyNotFixable(audit, audit.clientId) && (
              <FixButton blocked={blocked} label="Fix this client…" onFix={() => onFix([audit.clientId])} />
            )}
            <Group gap="md">
              <Anchor href={links.settings} target="_blank" rel="noreferrer" size="sm">
                Open in the admin console
              </Anchor>
              <Anchor href={links.clientScopes} target="_blank" rel="noreferrer" size="sm">
                Client scopes tab
              </Anchor>
              <Anchor href={links.dedicatedScope} target="_blank" rel="noreferrer" size="sm">
                Dedicated scope
              </Anchor>
            </Group>
          </Stack>

          <Requirements
            audit={audit}
            isClient={isClient}
            blocked={blocked}
            onCarry={(audience, custom) => onAddAudience(audience, [audit.clientId], custom)}
          />

          {audit.evidence.length > 0 && (
            <Stack gap={4} aria-label="Evidence">
              <Title order={3} size="h5">
                What puts {audit.clientId} in aud
              </Title>
              <List size="sm">
                {audit.evidence.map((item) => (
                  <List.Item key={`${item.container.id}-${item.mapper.id ?? item.mapper.name}`}>
                    Audience mapper "{item.mapper.name}" in {containerText(item.container)}:{' '}
                    {appliesText[item.container.applies]}.
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}

          {audit.problems.length > 0 && (
            <Stack gap={4} aria-label="Problems">
              <Title order={3} size="h5">
                Problems
              </Title>
              {audit.problems.map((problem) => (
                <Alert
                  key={`${problem.code}-${problem.message}`}
                  color="orange"
                  variant="light"
                  data-problem={problem.code}
                >
                  {problem.message}
                </Alert>
              ))}
            </Stack>
          )}

          <Stack gap={4}>
            <Title order={3} size="h5">
              Predicted aud of its access tokens
            </Title>
            <PredictedAud audit={audit} />
          </Stack>

          <Stack gap={4} aria-label="Who puts this client in their tokens">
            <Title order={3} size="h5">
              Clients whose tokens carry {audit.clientId}
            </Title>
            <AudienceHolderList
              holders={holders}
              empty={`None: no client's mappers add ${audit.clientId} (role-based audiences not counted).`}
            />
            <FixButton
              blocked={blocked}
              label={`Put ${audit.clientId} into other clients' tokens…`}
              secondary
              onFix={() => onAddAudience(audit.clientId)}
            />
          </Stack>

          <Stack gap={4}>
            <Title order={3} size="h5">
              Scopes
            </Title>
            <Text size="sm">
              <b>Default:</b> {(client.defaultClientScopes ?? []).join(', ') || 'none'}
            </Text>
            <Text size="sm">
              <b>Optional:</b> {(client.optionalClientScopes ?? []).join(', ') || 'none'}
            </Text>
            <Table aria-label="Mappers that affect aud" striped withTableBorder fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Container</Table.Th>
                  <Table.Th>Mapper</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Access token</Table.Th>
                  <Table.Th>Lightweight</Table.Th>
                  <Table.Th>ID token</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mapperRows(client, scopes).map((row) => (
                  <Table.Tr key={`${row.container}-${row.mapper}`}>
                    <Table.Td>
                      {row.container} ({row.attachment})
                    </Table.Td>
                    <Table.Td>
                      {row.mapper}
                      <Text size="xs" c="dimmed">
                        {row.type}
                      </Text>
                    </Table.Td>
                    <Table.Td>{row.value}</Table.Td>
                    <Table.Td>{row.accessToken}</Table.Td>
                    <Table.Td>{row.lightweight}</Table.Td>
                    <Table.Td>{row.idToken}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>

          {audit.verdict !== 'not-applicable' && (
            <VerifyWithToken realm={realm} audit={audit} client={client} access={access.data} />
          )}
          {audit.verdict !== 'not-applicable' && (
            <PastedTokenCheck
              key={audit.id}
              realm={realm}
              audit={audit}
              client={client}
              clientScopes={audited.data?.snapshot.clientScopes ?? []}
            />
          )}
        </Stack>
      )}
    </Drawer>
  );
}
