import './trust-map.css';
import {
  Alert,
  Button,
  Container,
  Group,
  Loader,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type ReactNode, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { auditRealm } from '../../audit/audit-realm.ts';
import { buildTrustMap, sourceAudit, type TrustCell, trustEdges } from '../../audit/trust-map.ts';
import { download } from '../../components/download.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { type AuditedRealm, useRealmAccess, useRealmAudit, whyFixWaits } from '../../keycloak/queries.ts';
import { formatEdgesCsv, formatEdgesJson } from '../../report/trust-map-edges.ts';
import { viewOf } from './map-view.ts';
import { type RequirementEdits, snapshotWithEdits } from './requirement-edits.ts';
import { TrustGrid } from './TrustGrid.tsx';
import { WhatIfPanel } from './WhatIfPanel.tsx';

const Legend = () => (
  <Text size="xs" aria-label="Legend">
    Rows: clients that get tokens. Columns: audiences some token carries or some requirement names. Green: required,
    always carried. Yellow: required, carried only for some logins. Red: required, never carried (click it to fix).
    Blue: carried but not required — that service accepts these tokens. "Per user": the client's audience-resolve mapper
    may add other clients from the user's roles, which the map cannot tell without a user.
  </Text>
);

function Partial({ audited }: { audited: AuditedRealm }) {
  const waiting = audited.reading?.waiting.size ?? 0;
  return (
    <Group gap="sm" aria-label="Read progress">
      <Loader size="xs" />
      <Text size="sm" role="status">
        The map is partial: {audited.snapshot.clients.length.toLocaleString('en')} clients read so far
        {waiting > 0 ? `, ${waiting.toLocaleString('en')} still waiting for part of the read` : ''}. Cells change as the
        rest arrives.
      </Text>
    </Group>
  );
}

interface Props {
  /** A red cell: put `audience` (a clientId, or a custom audience when `custom`) into the tokens of `caller`. */
  onFix: (caller: string, audience: string, custom: boolean) => void;
  /** The requirements edited in the page (kept by the screen, so that the fix wizard can take them). */
  edits: RequirementEdits;
  onEditsChange: (edits: Map<string, string[] | null>) => void;
  /** Opens the fix wizard on the pending edits. */
  onWriteRequirements: (requirements: Record<string, string[] | null>) => void;
  actions?: ReactNode;
}

/** The realm's callers × audiences: what each client's tokens must carry, what they carry, and who accepts them. */
export function TrustMapPage({ onFix, edits, onEditsChange, onWriteRequirements, actions }: Props) {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params, setParams] = useSearchParams();
  const callerFilter = params.get('caller') ?? '';
  const audienceFilter = params.get('audience') ?? '';
  const includeBuiltIn = params.get('builtin') === '1';
  const audited = useRealmAudit(realm);
  const access = useRealmAccess(realm);
  // Edits kept from before a reload (the wizard open on them) show at once.
  const [whatIf, setWhatIf] = useState(() => edits.size > 0);

  const data = audited.data;
  const sources = useMemo(() => (data ? sourceAudit(data.snapshot, data.audit) : undefined), [data]);
  const waiting = useMemo(() => (data?.reading ? new Set(data.reading.waiting.keys()) : undefined), [data]);
  const audit = useMemo(() => {
    if (!data) return undefined;
    return whatIf && edits.size > 0 ? auditRealm(snapshotWithEdits(data.snapshot, edits)) : data.audit;
  }, [data, whatIf, edits]);
  const map = useMemo(
    () => (audit ? buildTrustMap(audit, { sources, includeBuiltIn, waiting }) : undefined),
    [audit, sources, includeBuiltIn, waiting],
  );
  const view = useMemo(
    () => (map ? viewOf(map, { caller: callerFilter, audience: audienceFilter }) : undefined),
    [map, callerFilter, audienceFilter],
  );

  const setParam = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const writeBlocked = whyFixWaits(data, access.data, realm);
  const fixBlocked = whatIf ? 'Leave "what if" to fix a cell: the map shows edited requirements.' : writeBlocked;
  const callerClients = useMemo(() => {
    if (!data || !map) return [];
    const byId = new Map(data.snapshot.clients.map((client) => [client.id, client]));
    return map.callers.flatMap((caller) => byId.get(caller.id) ?? []);
  }, [data, map]);
  const fixCell =
    fixBlocked === undefined
      ? (cell: TrustCell) => {
          const column = map?.audiences.find((item) => item.audience === cell.audience);
          // An audience that names no client is a custom audience: its fix is a custom audience mapper.
          if (column) onFix(cell.caller, cell.audience, !column.isClient);
        }
      : undefined;

  const save = (format: 'csv' | 'json') => {
    if (!map) return;
    const content = { realm, whatIf: whatIf && edits.size > 0, edges: trustEdges(map) };
    const stamp = new Date().toISOString().slice(0, 10);
    download({
      fileName: `audience-doctor-trust-map-${realm}-${stamp}.${format}`,
      type: format === 'csv' ? 'text/csv' : 'application/json',
      content: format === 'csv' ? formatEdgesCsv(content) : formatEdgesJson(content),
    });
  };

  let body: React.ReactNode;
  if (audited.isError && !data?.reading) {
    body = (
      <ErrorPanel title="The realm could not be read" fixes={['Reload the page to try again.']}>
        <Text size="sm">{audited.error.message}</Text>
      </ErrorPanel>
    );
  } else if (!data || !map || !view) {
    body = (
      <Stack gap="xs" aria-busy="true" aria-label="Loading the trust map">
        <Text size="sm">Reading the realm…</Text>
        <Skeleton height={320} />
      </Stack>
    );
  } else if (data.audit.cannotJudge) {
    body = (
      <ErrorPanel color="orange" title={`Nothing in realm ${realm} could be judged`} fixes={[data.audit.cannotJudge]} />
    );
  } else {
    body = (
      <>
        {data.reading && <Partial audited={data} />}
        {fixBlocked && access.data && !data.reading && !whatIf && (
          <Alert color="gray" variant="light" aria-label="Read-only">
            {fixBlocked}
          </Alert>
        )}
        <Group align="end" gap="sm">
          <TextInput
            label="Filter callers (rows)"
            placeholder="clientId"
            value={callerFilter}
            onChange={(event) => setParam('caller', event.currentTarget.value)}
            w={220}
          />
          <TextInput
            label="Filter audiences (columns)"
            placeholder="audience"
            value={audienceFilter}
            onChange={(event) => setParam('audience', event.currentTarget.value)}
            w={220}
          />
          <Switch
            label="Show built-in clients"
            checked={includeBuiltIn}
            onChange={(event) => setParam('builtin', event.currentTarget.checked ? '1' : '')}
            mb={8}
          />
          <Switch
            label="What if: edit requirements"
            checked={whatIf}
            onChange={(event) => setWhatIf(event.currentTarget.checked)}
            mb={8}
          />
          <Group gap="xs" ml="auto">
            {actions}
            <Button size="xs" variant="default" onClick={() => save('csv')}>
              Export edges (CSV)
            </Button>
            <Button size="xs" variant="default" onClick={() => save('json')}>
              Export edges (JSON)
            </Button>
          </Group>
        </Group>
        {whatIf && (
          <WhatIfPanel
            snapshot={data.snapshot}
            callers={callerClients}
            edits={edits}
            onChange={onEditsChange}
            writeBlocked={writeBlocked}
            onWrite={onWriteRequirements}
          />
        )}
        <Text size="sm" role="status" aria-label="Map size">
          {view.callers.length.toLocaleString('en')} of {map.callers.length.toLocaleString('en')} callers ×{' '}
          {view.audiences.length.toLocaleString('en')} of {map.audiences.length.toLocaleString('en')} audiences
          {whatIf && edits.size > 0 ? ' (with edited requirements)' : ''}
        </Text>
        <TrustGrid view={view} onFix={fixCell} />
        <Legend />
      </>
    );
  }

  return (
    <Container fluid px={0}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Trust map of realm {realm}
        </Title>
        {body}
      </Stack>
    </Container>
  );
}
