import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import type { ClientProof, Verification } from '../../remediation/verify.ts';

function ProofCell({ proof }: { proof: ClientProof }) {
  if (!proof.aud) return <Text size="sm">{proof.problem}</Text>;
  return (
    <Stack gap={2}>
      <Text size="sm" c={proof.expectedInToken ? 'green.9' : 'red.9'} fw={600}>
        {proof.expectedInToken ? `✔ ${proof.expected} is in aud` : `✘ ${proof.expected} is not in aud`}
      </Text>
      <Group gap={4}>
        <Text size="xs">aud ({proof.user}):</Text>
        {proof.aud.map((value) => (
          <Badge key={value} size="sm" tt="none" variant="light">
            {value}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}

/** Per fixed client: the verdict now, and what a token Keycloak generates now carries, with who judged. */
export function VerifyResult({
  verification,
}: {
  verification: { isPending: boolean; error: Error | null; data: Verification | undefined };
}) {
  return (
    <>
      {verification.isPending && <Text size="sm">Auditing the realm again and generating tokens…</Text>}
      {verification.error && (
        <ErrorPanel title="Could not verify">
          <Text size="sm">{verification.error.message}</Text>
        </ErrorPanel>
      )}
      {verification.data && (
        <Table aria-label="Verification result" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Verdict now</Table.Th>
              <Table.Th>Token</Table.Th>
              <Table.Th>Judged by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {verification.data.proofs.map((proof) => (
              <Table.Tr key={proof.clientId}>
                <Table.Td>{proof.clientId}</Table.Td>
                <Table.Td>{proof.verdict ? <VerdictBadge verdict={proof.verdict} /> : '—'}</Table.Td>
                <Table.Td>
                  <ProofCell proof={proof} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{proof.aud ? proof.judge : '—'}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
