import {
  Alert,
  Anchor,
  Badge,
  Button,
  Container,
  Group,
  Loader,
  type MantineTheme,
  MultiSelect,
  Pagination,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { DataTable, type DataTableColumn, type DataTableSortStatus } from 'mantine-datatable';
import { memo, type ReactNode, useMemo } from 'react';
import { useParams, useSearchParams } from 'wouter';
import type { ClientKind, Verdict } from '../../audit/findings.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { HoverTooltip } from '../../components/HoverTooltip.tsx';
import { filledBadgeColors, PlainBadge, VerdictBadge, verdictLabel } from '../../components/VerdictBadge.tsx';
import { adminRoleClient } from '../../keycloak/access.ts';
import { ApiError } from '../../keycloak/errors.ts';
import { cancelRealmRead, ReadCancelled, useRealmAccess, useRealmAudit, whyFixWaits } from '../../keycloak/queries.ts';
import { useSession } from '../../keycloak/session-context.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import './clients-table.css';
import {
  type ClientRow,
  clientRows,
  hasBrokenFix,
  KINDS,
  PAGE_SIZE,
  readTableState,
  type SortColumn,
  selectedClientIds,
  summarize,
  summaryLine,
  type TableState,
  VERDICTS,
  visibleRows,
  writeTableState,
} from './table-state.ts';

const kindLabels: Record<ClientKind, string> = {
  confidential: 'Confidential',
  public: 'Public',
  'service-account': 'Service account',
  'bearer-only': 'Bearer-only',
  saml: 'SAML',
};

// Plain elements with classes for the cells repeated on every row: a Mantine Text per cell made a sort
// of 10,000 rows spend most of its 100 ms on style props (the row count per page stays 50).
const scopeList = (names: string[]) =>
  names.length ? (
    <span className="ad-cell-note">{names.join(', ')}</span>
  ) : (
    <span className="ad-cell-note ad-cell-none">none</span>
  );

/**
 * On a narrow window the columns the drawer also shows (name, scopes) make way for the verdict and
 * its reason: the scope lists from Mantine's lg breakpoint (1200 px) up, the name from md (992 px).
 */
const fromMd = (theme: MantineTheme) => `(min-width: ${theme.breakpoints.md})`;
const fromLg = (theme: MantineTheme) => `(min-width: ${theme.breakpoints.lg})`;

const brokenFixColors = filledBadgeColors('orange.4');
const problemColors = filledBadgeColors('gray.3');

// The client link is Mantine's Anchor drawn on a plain button, for the same reason as the cells above.
function columns(openClient: (id: string) => void): DataTableColumn<ClientRow>[] {
  return [
    {
      accessor: 'clientId',
      title: 'Client ID',
      sortable: true,
      noWrap: true,
      render: ({ audit }) => (
        <button
          type="button"
          className={`${Anchor.classes.root} mantine-focus-auto ad-client-link`}
          data-underline="hover"
          onClick={() => openClient(audit.id)}
        >
          {audit.clientId}
        </button>
      ),
    },
    {
      accessor: 'name',
      title: 'Name',
      sortable: true,
      visibleMediaQuery: fromMd,
      render: ({ audit }) => audit.name ?? '',
    },
    { accessor: 'kind', title: 'Kind', sortable: true, render: ({ audit }) => kindLabels[audit.kind] },
    {
      accessor: 'defaultScopes',
      title: 'Default scopes',
      visibleMediaQuery: fromLg,
      render: ({ defaultScopes }) => scopeList(defaultScopes),
    },
    {
      accessor: 'optionalScopes',
      title: 'Optional scopes',
      visibleMediaQuery: fromLg,
      render: ({ optionalScopes }) => scopeList(optionalScopes),
    },
    {
      accessor: 'verdict',
      title: 'Verdict',
      sortable: true,
      width: 190,
      render: ({ audit, waitingFor }) =>
        waitingFor ? (
          <Badge color="gray" variant="outline" aria-label={`waiting for: ${waitingFor.join(', ')}`}>
            waiting for: {waitingFor.join(', ')}
          </Badge>
        ) : (
          <span className="ad-verdict-cell">
            <VerdictBadge verdict={audit.verdict} />
            {audit.problems.length > 0 && (
              <HoverTooltip label={audit.problems.map((problem) => problem.message).join('\n')}>
                <PlainBadge
                  style={hasBrokenFix(audit) ? brokenFixColors : problemColors}
                  aria-label={`${audit.problems.length} problem${audit.problems.length > 1 ? 's' : ''}`}
                >
                  ⚠ {audit.problems.length}
                </PlainBadge>
              </HoverTooltip>
            )}
          </span>
        ),
    },
    {
      accessor: 'reason',
      title: 'Why',
      // Never clamped: a reason cut short hides the part that says what to change.
      render: ({ audit }) => <span className="ad-cell-text">{audit.reason}</span>,
    },
  ];
}

/** The signed-in user, and where the role view-clients for this realm is granted to them. */
function useViewClientsRole(realm: string) {
  const { user } = useSession().auth;
  const where = `the role view-clients of the client "${adminRoleClient(realm, user.realm)}" in realm "${user.realm}"`;
  return { user, where };
}

function MissingPermission({ realm }: { realm: string }) {
  const { user, where } = useViewClientsRole(realm);
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

/** Keycloak listed no clients: every realm has some, so the account may not view them and nothing was judged. */
function NothingJudged({ realm, message }: { realm: string; message: string }) {
  const { user, where } = useViewClientsRole(realm);
  return (
    <ErrorPanel
      color="orange"
      title={`Nothing in realm ${realm} could be judged`}
      fixes={[
        `Ask an administrator to give ${user.username} ${where}; fine-grained permissions on single clients show only those clients, and never the client scopes their verdicts depend on.`,
        'Then sign out and in again: Keycloak reads admin roles from the token.',
      ]}
    >
      <Text size="sm">{message}</Text>
    </ErrorPanel>
  );
}

function TableSkeleton() {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading clients">
      {Array.from({ length: 8 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={index} height={28} />
      ))}
    </Stack>
  );
}

// One formatter for every repaint: toLocaleString looks the locale up again on each call.
const thousands = new Intl.NumberFormat('en');

/** "N clients read" while the realm is read, with a way to stop; after a failure or a cancel, a way to read again. */
function ReadProgressBar({
  clientsRead,
  error,
  onCancel,
  onRetry,
}: {
  clientsRead: number;
  error: Error | undefined;
  onCancel: () => void;
  onRetry: () => void;
}) {
  const read = `${thousands.format(clientsRead)} clients read`;
  if (error) {
    const cancelled = error instanceof ReadCancelled;
    return (
      <Alert color={cancelled ? 'gray' : 'red'} variant="light" aria-label="Read progress">
        <Group justify="space-between">
          <Text size="sm">
            {cancelled ? `Reading cancelled: ${read}.` : `Reading stopped: ${read}. ${error.message}`} The verdicts
            shown are final for those clients, except for requirements that a client not read may declare
            (audience-doctor.callers); the rest of the realm was not read.
          </Text>
          <Button size="xs" variant="default" onClick={onRetry}>
            Read again
          </Button>
        </Group>
      </Alert>
    );
  }
  return (
    <Group gap="sm" aria-label="Read progress">
      <Loader size="xs" />
      <Text size="sm" role="status">
        Reading the realm… {read}
      </Text>
      <Button size="compact-xs" variant="subtle" onClick={onCancel}>
        Cancel
      </Button>
    </Group>
  );
}

interface ClientsTableProps {
  records: ClientRow[];
  selectedIds: Set<string>;
  sort: TableState['sort'];
  onOpen: (id: string) => void;
  onSort: (sort: TableState['sort']) => void;
  /** The whole selection: the rows kept from other pages and the ones chosen on this page. */
  onSelect: (ids: string[]) => void;
}

const pagerLabels = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' };

/** The same items in the same order: rows kept as objects, filters read from the URL anew on every render. */
const sameItems = <T,>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);
const sameSelection = (a: ClientsTableProps, b: ClientsTableProps) =>
  a.selectedIds.size === b.selectedIds.size && [...a.selectedIds].every((id) => b.selectedIds.has(id));

/**
 * The table repaints only when what it shows changed. While a realm is read the page of rows on screen
 * mostly stays as it was (final verdicts keep their row objects), and a repaint of 50 rows of Mantine
 * components held the main thread that also handles the pages' answers; so the pager, whose total grows
 * with every page, is a component of its own. The callbacks only feed setters that take the current
 * state, so an older one does the same as a newer one.
 */
const ClientsTable = memo(
  function ClientsTable({ records, selectedIds, sort, onOpen, onSort, onSelect }: ClientsTableProps) {
    const tableColumns = useMemo(() => columns(onOpen), [onOpen]);
    // Rows are keyed by their place on the page, so that a sort or another page updates the rows in place
    // instead of removing 50 and making 50 (on 10,000 clients a sort's render went from 91-101 ms to 37-55 ms).
    // Selection still goes by record: it is matched within the page shown. A shift-click range then starts
    // from the place last clicked even after a sort, where a new set of keys would have reset it.
    const positions = useMemo(() => new Map(records.map((row, index) => [row, `row-${index}`])), [records]);
    return (
      <DataTable<ClientRow>
        aria-label="Clients"
        withTableBorder
        striped
        highlightOnHover
        minHeight={160}
        idAccessor={(row) => positions.get(row) ?? row.audit.id}
        customRowAttributes={(row) => ({ 'data-verdict': row.waitingFor ? 'waiting' : row.audit.verdict })}
        records={records}
        columns={tableColumns}
        noRecordsText="No clients match"
        sortStatus={{ columnAccessor: sort.column, direction: sort.direction }}
        onSortStatusChange={(status: DataTableSortStatus<ClientRow>) =>
          onSort({ column: status.columnAccessor as SortColumn, direction: status.direction })
        }
        selectedRecords={records.filter((row) => selectedIds.has(row.audit.id))}
        onSelectedRecordsChange={(chosen) => {
          const onPage = new Set(records.map((row) => row.audit.id));
          const kept = [...selectedIds].filter((id) => !onPage.has(id));
          onSelect([...kept, ...chosen.map((row) => row.audit.id)]);
        }}
        getRecordSelectionCheckboxProps={(row) => ({ 'aria-label': `Select ${row.audit.clientId}` })}
        allRecordsSelectionCheckboxProps={{ 'aria-label': 'Select all clients on this page' }}
      />
    );
  },
  (before, after) =>
    sameItems(before.records, after.records) &&
    sameSelection(before, after) &&
    before.sort.column === after.sort.column &&
    before.sort.direction === after.sort.direction,
);

type Filters = Pick<TableState, 'search' | 'verdicts' | 'kinds' | 'showBuiltIn'>;

/**
 * Search, filters and the built-in switch, which do not depend on what was read: they repainted with every
 * update of a read, and each repaint of Mantine's inputs cost the thread that handles the pages (with their
 * closed dropdowns kept mounted, a forced style recalculation each as well).
 */
const FilterBar = memo(
  function FilterBar({ onChange, ...filters }: Filters & { onChange: (patch: Partial<TableState>) => void }) {
    return (
      <Group align="end" gap="sm">
        <TextInput
          label="Search clients"
          placeholder="clientId or name"
          value={filters.search}
          onChange={(event) => onChange({ search: event.currentTarget.value })}
          w={240}
        />
        <MultiSelect
          label="Verdict"
          placeholder={filters.verdicts.length ? undefined : 'any'}
          data={VERDICTS.map((verdict) => ({ value: verdict, label: verdictLabel(verdict) }))}
          value={filters.verdicts}
          onChange={(values) => onChange({ verdicts: values as Verdict[] })}
          clearable
          w={260}
        />
        <MultiSelect
          label="Kind"
          placeholder={filters.kinds.length ? undefined : 'any'}
          data={KINDS.map((kind) => ({ value: kind, label: kindLabels[kind] }))}
          value={filters.kinds}
          onChange={(values) => onChange({ kinds: values as ClientKind[] })}
          clearable
          w={260}
        />
        <Switch
          label="Show built-in clients"
          checked={filters.showBuiltIn}
          onChange={(event) => onChange({ showBuiltIn: event.currentTarget.checked })}
          mb={8}
        />
      </Group>
    );
  },
  // onChange feeds a setter that takes the current state: an older one does the same as a newer one.
  (before, after) =>
    before.search === after.search &&
    sameItems(before.verdicts, after.verdicts) &&
    sameItems(before.kinds, after.kinds) &&
    before.showBuiltIn === after.showBuiltIn,
);

/** What "Fix selected" fixes: the rows picked one by one, or every row the filter matches (kept as the filter). */
export type FixSelection = { clientIds: string[] } | { allMatching: true };

export function ClientsPage({ onFix, actions }: { onFix: (selection: FixSelection) => void; actions?: ReactNode }) {
  const { realm = '' } = useParams<{ realm?: string }>();
  const [params, setParams] = useSearchParams();
  const state = readTableState(params);
  const audited = useRealmAudit(realm);
  const access = useRealmAccess(realm);

  const rows = useMemo(() => clientRows(audited.data), [audited.data]);
  const filtered = useMemo(() => visibleRows(rows, state), [rows, state]);
  const summary = useMemo(
    () => summarize(rows.filter((row) => state.showBuiltIn || !row.audit.builtIn)),
    [rows, state.showBuiltIn],
  );

  const update = (patch: Partial<TableState>, resetPage = true) =>
    setParams((current) => writeTableState(current, resetPage ? { page: 1, ...patch } : patch), { replace: true });
  const openClient = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('client', id);
      return next;
    });

  const pageCount = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const page = Math.min(state.page, pageCount);
  const records = filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const selected = new Set(state.allMatching ? filtered.map((row) => row.audit.id) : state.selected);
  const selectedCount = selected.size;
  const reading = audited.data?.reading;
  const readState = audited.isError ? 'failed' : reading ? 'reading' : 'complete';
  const fixBlocked = whyFixWaits(audited.data, access.data, realm);

  let body: ReactNode;
  if (audited.isPending) {
    body = <TableSkeleton />;
  } else if (audited.isError && !reading) {
    const error = audited.error;
    body =
      error instanceof ApiError && error.kind === 'forbidden' ? (
        <MissingPermission realm={realm} />
      ) : (
        <ErrorPanel title="The clients could not be audited" fixes={['Reload the page to try again.']}>
          <Text size="sm">{error.message}</Text>
        </ErrorPanel>
      );
  } else if (!audited.data) {
    body = <TableSkeleton />;
  } else if (audited.data.audit.cannotJudge) {
    body = <NothingJudged realm={realm} message={audited.data.audit.cannotJudge} />;
  } else {
    body = (
      <>
        <Group justify="space-between" align="center">
          <Text fw={600} role="status" aria-label="Summary">
            {summaryLine(summary, reading !== undefined)}
          </Text>
          <Group gap="xs">
            {actions}
            <ExportMenu realm={realm} audited={audited.data} />
            <Tooltip
              label={fixBlocked ?? 'Select clients in the table first.'}
              multiline
              w={300}
              disabled={!fixBlocked && selectedCount > 0}
            >
              <Button
                size="xs"
                disabled={fixBlocked !== undefined || selectedCount === 0}
                data-disabled-reason={fixBlocked ?? (selectedCount === 0 ? 'nothing selected' : undefined)}
                onClick={() =>
                  onFix(state.allMatching ? { allMatching: true } : { clientIds: selectedClientIds(rows, state) })
                }
              >
                {state.allMatching ? `Fix all ${selectedCount} matching` : `Fix selected (${selectedCount})`}
              </Button>
            </Tooltip>
          </Group>
        </Group>
        {reading && (
          <ReadProgressBar
            clientsRead={audited.data.snapshot.clients.length}
            error={audited.isError ? audited.error : undefined}
            onCancel={() => cancelRealmRead(realm)}
            onRetry={() => audited.refetch()}
          />
        )}
        {fixBlocked && access.data && !reading && (
          <Alert color="gray" variant="light" aria-label="Read-only">
            {fixBlocked}
          </Alert>
        )}
        {summary.byVerdict['cannot-judge'] > 0 && (
          <ErrorPanel
            color="yellow"
            title={`${summary.byVerdict['cannot-judge']} of these clients cannot be judged`}
            fixes={[
              `Audit realm ${realm} with an account that holds view-clients there: the verdict depends on client scopes your account cannot read.`,
            ]}
          />
        )}
        {audited.data.audit.notes.map((note) => (
          <Alert key={note} color="blue" variant="light">
            {note}
          </Alert>
        ))}
        <FilterBar
          search={state.search}
          verdicts={state.verdicts}
          kinds={state.kinds}
          showBuiltIn={state.showBuiltIn}
          onChange={update}
        />
        {filtered.length > 1 && (
          <Group gap="xs">
            {state.allMatching ? (
              <>
                <Text size="sm">All {filtered.length} clients matching the filter are selected.</Text>
                <Button size="compact-xs" variant="subtle" onClick={() => update({ selected: [] }, false)}>
                  Clear the selection
                </Button>
              </>
            ) : (
              <Button size="compact-xs" variant="subtle" onClick={() => update({ allMatching: true }, false)}>
                Select all {filtered.length} matching clients
              </Button>
            )}
          </Group>
        )}
        <ClientsTable
          records={records}
          selectedIds={selected}
          sort={state.sort}
          onOpen={openClient}
          onSort={(sort) => update({ sort })}
          onSelect={(ids) => update({ selected: ids }, false)}
        />
        {filtered.length > 0 && (
          <Group justify="space-between" gap="sm">
            <Text size="sm" aria-live="off">
              {`${(page - 1) * PAGE_SIZE + 1} - ${(page - 1) * PAGE_SIZE + records.length} / ${filtered.length}`}
            </Text>
            <Pagination
              size="sm"
              total={pageCount}
              value={page}
              onChange={(next) => update({ page: next }, false)}
              getControlProps={(control) => ({ 'aria-label': pagerLabels[control] })}
            />
          </Group>
        )}
      </>
    );
  }

  return (
    <Container size="xl" fluid>
      <Stack gap="md" data-read-state={audited.isPending ? 'reading' : readState}>
        <Title order={2}>Clients</Title>
        {body}
      </Stack>
    </Container>
  );
}
