import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { t } from '../strings';
import { useCis, useRelationships } from './cmdb-api';
import { StatusBadge, useCiClasses } from './ci-search-page';
import { DependencyGraph } from './dependency-graph';
import type { CiHistoryEntry, ConfigurationItem } from './types';
import { Loading } from '../layout/loading';
import { formatDateTime } from '../layout/date-time';

const c = t.cmdb.ci;

const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '–'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

const when = (iso: string | null): string => (iso ? formatDateTime(iso) : '–');

/** `2026-12-05T10:04:05` in the browser's time zone, as `<input type="datetime-local">` wants it. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function Field({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text data-testid={`ci-field-${label}`}>{show(value)}</Text>
    </div>
  );
}

function AttributesCard({ ci }: { ci: ConfigurationItem }) {
  const f = c.field;
  const identifiers = Object.entries(ci.identifiers).filter(([, value]) => show(value) !== '–');
  const attributes = Object.entries(ci.attributes);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {c.fields}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <Field label={f.class} value={ci.class} />
        <Field label={f.status} value={t.cmdb.statuses[ci.status] ?? ci.status} />
        <Field label={f.environment} value={ci.environment} />
        <Field label={f.ownerGroup} value={ci.ownerGroup} />
        <Field label={f.criticality} value={ci.criticality} />
        <Field label={f.restricted} value={ci.restricted ? c.yes : c.no} />
        <Field label={f.version} value={ci.version} />
        <Field label={f.sources} value={ci.sources.join(', ')} />
        <Field label={f.createdAt} value={when(ci.createdAt)} />
        <Field label={f.updatedAt} value={when(ci.updatedAt)} />
        <Field label={f.lastDiscoveredAt} value={when(ci.lastDiscoveredAt)} />
      </SimpleGrid>
      {identifiers.length > 0 && (
        <>
          <Title order={3} size="h5" mt="md" mb="xs">
            {c.identifiers}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {identifiers.map(([name, value]) => (
              <Field key={name} label={name} value={value} />
            ))}
          </SimpleGrid>
        </>
      )}
      <Title order={3} size="h5" mt="md" mb="xs">
        {c.attributes}
      </Title>
      {attributes.length === 0 ? (
        <Text c="dimmed">{c.noAttributes}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          {attributes.map(([name, value]) => (
            <Field key={name} label={name} value={value} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}

function RelationshipsCard({ ci, asOf }: { ci: ConfigurationItem; asOf: string | undefined }) {
  const relationships = useRelationships(ci.id, asOf);
  const items = relationships.data ?? [];
  const others = items.map((r) => (r.sourceId === ci.id ? r.targetId : r.sourceId));
  const names = useCis(others);
  const columns = c.relationshipColumns;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {c.relationships}
      </Title>
      {relationships.error && <Alert color="red">{relationships.error.message}</Alert>}
      {relationships.data && items.length === 0 ? (
        <Text c="dimmed">{c.noRelationships}</Text>
      ) : (
        <Table striped aria-busy={relationships.isFetching} data-testid="ci-relationships">
          <Table.Thead>
            <Table.Tr>
              {Object.values(columns).map((label) => (
                <Table.Th key={label}>{label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((relationship) => {
              const outgoing = relationship.sourceId === ci.id;
              const other = outgoing ? relationship.targetId : relationship.sourceId;
              return (
                <Table.Tr key={relationship.id}>
                  <Table.Td>{relationship.type}</Table.Td>
                  <Table.Td>{outgoing ? c.outgoing : c.incoming}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/cmdb/cis/${other}`}>
                      {names.data?.get(other)?.name ?? other}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{when(relationship.createdAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function historyTitle(entry: CiHistoryEntry): string {
  if (entry.kind === 'updated' && entry.field)
    return c.historyLine(entry.field, show(entry.oldValue), show(entry.newValue));
  const kind = c.historyKinds[entry.kind] ?? entry.kind;
  if (entry.relationship) return `${kind}: ${entry.relationship.type}`;
  if (entry.changeNumber) return `${kind} ${entry.changeNumber}`;
  if (entry.field) return `${kind}: ${entry.field} ${show(entry.newValue)}`;
  return kind;
}

function HistoryCard({ id, onAsOf }: { id: string; onAsOf: (at: string) => void }) {
  const history = useInfiniteQuery({
    queryKey: ['ci', id, 'history'],
    queryFn: ({ pageParam }) =>
      apiGet<Page<CiHistoryEntry>>(
        `/cis/${id}/history${queryString({ limit: '100', cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const entries = history.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {c.history}
      </Title>
      {history.error && <Alert color="red">{history.error.message}</Alert>}
      {history.data && entries.length === 0 && <Text c="dimmed">{c.noHistory}</Text>}
      <Timeline bulletSize={12} lineWidth={2}>
        {entries.map((entry, index) => (
          <Timeline.Item key={index} title={historyTitle(entry)}>
            <Text size="xs" c="dimmed">
              {c.byActor(entry.actor, entry.source)} · {when(entry.at)}
            </Text>
            <Button size="compact-xs" variant="subtle" onClick={() => onAsOf(entry.at)}>
              {c.viewAsOf}
            </Button>
          </Timeline.Item>
        ))}
      </Timeline>
      {history.hasNextPage && (
        <Button
          variant="default"
          mt="sm"
          onClick={() => void history.fetchNextPage()}
          loading={history.isFetchingNextPage}
        >
          {c.moreHistory}
        </Button>
      )}
    </Card>
  );
}

/**
 * One CI: its attributes, relationships, dependency and impact graph and history; with
 * `?asOf=` in the address, as it was then (`GET /api/v1/cis/{id}?asOf=`).
 */
export function CiPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const setAsOf = (at: string | undefined) => {
    const next = new URLSearchParams(params);
    if (at) next.set('asOf', at);
    else next.delete('asOf');
    setParams(next, { replace: true });
  };
  const current = useQuery({
    queryKey: ['ci', id],
    queryFn: () => apiGet<ConfigurationItem>(`/cis/${id}`),
  });
  const then = useQuery({
    queryKey: ['ci', id, 'asOf', asOf],
    queryFn: () => apiGet<ConfigurationItem>(`/cis/${id}${queryString({ asOf })}`),
    enabled: asOf !== undefined && current.data !== undefined,
  });
  const classes = useCiClasses();
  if (current.isPending) return <Loading />;
  if (current.error) {
    return (
      <Alert color="red">
        {current.error instanceof ApiError && current.error.status === 404
          ? c.notFound
          : current.error.message}
      </Alert>
    );
  }
  const ci = asOf ? then.data : current.data;
  return (
    <Stack>
      <Anchor component={Link} to="/cmdb" size="sm">
        {c.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {(ci ?? current.data).name}
        </Title>
        <Badge variant="default" tt="none">
          {classes.data?.items.find((each) => each.name === current.data.class)?.label ??
            current.data.class}
        </Badge>
        {ci && <StatusBadge status={ci.status} />}
      </Group>
      <Card withBorder>
        <Group align="end">
          <TextInput
            type="datetime-local"
            label={c.asOf}
            description={c.asOfHint}
            step={1}
            value={asOf ? toLocalInput(asOf) : ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              const at = value ? new Date(value) : undefined;
              if (!at || !Number.isNaN(at.getTime())) setAsOf(at?.toISOString());
            }}
          />
          <Button variant="default" disabled={!asOf} onClick={() => setAsOf(undefined)}>
            {c.now}
          </Button>
        </Group>
        {asOf && (
          <Alert color="blue" mt="sm" data-testid="as-of-notice">
            {c.showingAsOf(when(asOf))}
          </Alert>
        )}
      </Card>
      {asOf && then.isPending && <Loading />}
      {asOf && then.error && (
        <Alert color="yellow">
          {then.error instanceof ApiError && then.error.status === 404
            ? c.notYet
            : then.error.message}
        </Alert>
      )}
      {ci && <AttributesCard ci={ci} />}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RelationshipsCard ci={current.data} asOf={asOf} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <HistoryCard id={current.data.id} onAsOf={(at) => setAsOf(at)} />
        </Grid.Col>
      </Grid>
      <DependencyGraph key={current.data.id} ci={current.data} asOf={asOf} />
    </Stack>
  );
}
