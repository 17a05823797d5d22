import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  List,
  ScrollArea,
  Stack,
  Table,
  Tabs,
  Text,
} from '@mantine/core';
import type { AudienceHolder, ClientAudit } from '../../audit/findings.ts';
import { AudienceHolderList } from '../../components/AudienceHolderList.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { describePlan } from '../../remediation/render-human.ts';
import { kcadmScript } from '../../remediation/render-kcadm.ts';
import { restCallsText } from '../../remediation/render-rest.ts';
import type { Plan } from '../../remediation/types.ts';

function Copyable({ text, label }: { text: string; label: string }) {
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? 'Copied' : `Copy ${label}`}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ScrollArea.Autosize mah={360}>
        <Code block aria-label={label}>
          {text}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}

function HolderList({ title, holders }: { title: string; holders: AudienceHolder[] }) {
  return (
    <Stack gap={4} aria-label={title}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <AudienceHolderList holders={holders} empty="no client" />
    </Stack>
  );
}

export function PreviewStep({
  plan,
  holders,
  predicted,
  keycloakUrl,
  consent,
  onConsent,
}: {
  plan: Plan;
  /** Cross-client: who puts the API's clientId into their tokens, now and after the fix. */
  holders?: { before: AudienceHolder[]; after: AudienceHolder[] };
  predicted: Map<string, ClientAudit>;
  keycloakUrl: string;
  consent: boolean;
  onConsent: (consent: boolean) => void;
}) {
  const lines = describePlan(plan);
  return (
    <Stack gap="md" aria-label="Preview">
      {plan.steps.length === 0 ? (
        <Alert color="gray" title="Nothing to write">
          None of the selected clients needs a change with this strategy.
        </Alert>
      ) : (
        <Text size="sm">
          {plan.steps.length} write{plan.steps.length === 1 ? '' : 's'} for {plan.fixes.length} client
          {plan.fixes.length === 1 ? '' : 's'} in realm {plan.realm}. Run {plan.runId}.
        </Text>
      )}
      {holders && plan.audience && (
        <Group align="flex-start" grow>
          <HolderList title={`Tokens carrying ${plan.audience} now`} holders={holders.before} />
          <HolderList title={`Tokens carrying ${plan.audience} after the fix`} holders={holders.after} />
        </Group>
      )}
      {plan.fixes.length > 0 && !plan.audience && (
        <Table aria-label="Predicted result" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Verdict after the fix</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.fixes.map((clientId) => {
              const after = predicted.get(clientId);
              return (
                <Table.Tr key={clientId}>
                  <Table.Td>{clientId}</Table.Td>
                  <Table.Td>{after ? <VerdictBadge verdict={after.verdict} /> : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {plan.skipped.length > 0 && (
        <Alert color="gray" title="Left as they are">
          <List size="sm">
            {plan.skipped.map((item) => (
              <List.Item key={item.clientId}>
                {item.clientId}: {item.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {plan.notes.map((note) => (
        <Alert key={note} color="yellow" variant="light">
          {note}
        </Alert>
      ))}
      {plan.requiresConsent && (
        <Alert color="orange" title="These services will accept each other’s tokens">
          <List size="sm">
            {plan.crossAcceptance.map((item) => (
              <List.Item key={item.clientId}>
                {item.clientId} will accept access tokens issued to {item.accepts.join(', ')}
              </List.Item>
            ))}
          </List>
          <Checkbox
            mt="sm"
            checked={consent}
            onChange={(event) => onConsent(event.currentTarget.checked)}
            label="I understand, and want every selected service to accept the others’ tokens"
          />
        </Alert>
      )}
      {plan.steps.length > 0 && (
        <Tabs defaultValue="changes">
          <Tabs.List>
            <Tabs.Tab value="changes">Changes</Tabs.Tab>
            <Tabs.Tab value="rest">REST calls</Tabs.Tab>
            <Tabs.Tab value="kcadm">kcadm.sh script</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="changes" pt="sm">
            <List type="ordered" size="sm" spacing="xs" aria-label="Changes">
              {lines.map((line, index) => (
                // Steps have no identity beyond their position in the plan.
                // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
                <List.Item key={index}>
                  {line.text}
                  <Text size="xs" c="dimmed">
                    Undo: {line.undo}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Tabs.Panel>
          <Tabs.Panel value="rest" pt="sm">
            <Copyable text={restCallsText(plan, keycloakUrl)} label="REST calls" />
          </Tabs.Panel>
          <Tabs.Panel value="kcadm" pt="sm">
            <Copyable text={kcadmScript(plan, keycloakUrl)} label="kcadm.sh script" />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
