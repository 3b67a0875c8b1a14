import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../api/client';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { csvFileName, toCsv } from './csv';
import { downloadFile } from './download';
import { consolePathOf, drillDownFilters, recordsQuery } from './kpi-tables';
import type { KpiRecord, KpiRecordsPage, MetricDefinition } from './types';
import { formatDateTime } from '../layout/date-time';

const d = t.dashboards;
const r = d.records;
/** The most records one CSV file holds (20 pages of the API's largest). */
const CSV_LIMIT = 10_000;

function recordsPath(metric: string, query: URLSearchParams, limit: number, cursor?: string) {
  const search = new URLSearchParams(query);
  search.set('limit', String(limit));
  if (cursor) search.set('cursor', cursor);
  return `/reports/kpis/${encodeURIComponent(metric)}/records?${search.toString()}`;
}

/** Seconds in the metric's unit (days for ages in days, hours otherwise). */
function inUnit(seconds: number | null, unit: string): number | null {
  if (seconds === null) return null;
  const hours = seconds / (unit === 'days' ? 86_400 : 3_600);
  return Math.round(hours * 100) / 100;
}

function dimensionsOf(items: KpiRecord[]): string[] {
  const names = new Set(items.flatMap((item) => Object.keys(item.dimensions)));
  return [...names];
}

function csvOf(metric: MetricDefinition, items: KpiRecord[]): string {
  const dimensions = dimensionsOf(items);
  const ratio = metric.kind === 'ratio';
  return toCsv(
    ['number', 'id', 'at', 'seconds', ...(ratio ? ['counted'] : []), ...dimensions, 'path'],
    items.map((item) => [
      item.number,
      item.id,
      item.at,
      item.seconds,
      ...(ratio ? [item.counted] : []),
      ...dimensions.map((name) => item.dimensions[name] ?? null),
      item.path,
    ]),
  );
}

/**
 * `/dashboards/{metric}/records?from=&to=&...`: the records behind a figure, from the
 * reporting service's drill-down (`GET /api/v1/reports/kpis/{metric}/records`), each linked
 * to its page where the console has one; "Download CSV" writes every page of them.
 */
export function KpiRecordsPage() {
  const { metric = '' } = useParams();
  const [params] = useSearchParams();
  const query = recordsQuery(params);
  const [progress, setProgress] = useState<number | undefined>();
  const [downloadError, setDownloadError] = useState<string | undefined>();
  const [capped, setCapped] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['kpi-records', metric, query.toString()],
    queryFn: ({ pageParam }) => apiGet<KpiRecordsPage>(recordsPath(metric, query, 100, pageParam)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const definition = list.data?.pages[0]?.metric;
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const dimensions = dimensionsOf(items);
  const unit = definition?.unit ?? 'hours';
  const ratio = definition?.kind === 'ratio';
  const showSeconds = items.some((item) => item.seconds !== null);
  const when = (value: string | null) => (value ? formatDateTime(value) : '');
  const filters = drillDownFilters(params);

  const download = async () => {
    if (!definition) return;
    setDownloadError(undefined);
    setProgress(0);
    try {
      const all: KpiRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await apiGet<KpiRecordsPage>(recordsPath(metric, query, 500, cursor));
        all.push(...page.items);
        setProgress(all.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && all.length < CSV_LIMIT);
      setCapped(cursor !== undefined);
      downloadFile(csvFileName(`${definition.id}-records`, new Date()), csvOf(definition, all));
    } catch (error) {
      setDownloadError(error instanceof Error ? error.message : String(error));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <Stack>
      <Anchor component={Link} to="/dashboards">
        {r.back}
      </Anchor>
      <Title order={1} size="h2">
        {r.title(definition?.name ?? metric)}
      </Title>
      {definition && (
        <Text size="sm" c="dimmed">
          {definition.formula}
        </Text>
      )}
      <Text size="sm" data-testid="drill-down-range">
        {r.range(when(params.get('from')), when(params.get('to')) || formatDateTime(new Date()))}
        {filters.length > 0 &&
          ` · ${r.filteredBy} ${filters
            .map(([name, value]) => `${d.dimensions[name] ?? name}: ${value || d.none}`)
            .join(', ')}`}
      </Text>
      <Group>
        <Button
          variant="default"
          onClick={() => void download()}
          disabled={!definition}
          loading={progress !== undefined}
          aria-label={d.downloadCsvOf(r.title(definition?.name ?? metric))}
        >
          {d.downloadCsv}
        </Button>
        {progress !== undefined && (
          <Text size="sm" role="status">
            {r.downloading(progress)}
          </Text>
        )}
      </Group>
      {capped && <Alert>{r.tooMany(CSV_LIMIT)}</Alert>}
      {downloadError && <Alert color="red">{downloadError}</Alert>}
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {list.isPending && <Loading />}
      {list.data && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover data-testid="drill-down-records">
            <Table.Caption>{r.caption(items.length, list.hasNextPage)}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{r.columns.number}</Table.Th>
                <Table.Th scope="col">{r.columns.at}</Table.Th>
                {showSeconds && <Table.Th scope="col">{r.seconds(unit)}</Table.Th>}
                {ratio && <Table.Th scope="col">{r.columns.counted}</Table.Th>}
                {dimensions.map((name) => (
                  <Table.Th key={name} scope="col">
                    {d.dimensions[name] ?? name}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => {
                const page = consolePathOf(item.path);
                return (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      {page ? (
                        <Anchor component={Link} to={page}>
                          {item.number}
                        </Anchor>
                      ) : (
                        item.number
                      )}
                    </Table.Td>
                    <Table.Td>{when(item.at)}</Table.Td>
                    {showSeconds && <Table.Td>{inUnit(item.seconds, unit) ?? ''}</Table.Td>}
                    {ratio && <Table.Td>{item.counted ? r.yes : r.no}</Table.Td>}
                    {dimensions.map((name) => (
                      <Table.Td key={name}>{item.dimensions[name] ?? ''}</Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && items.length === 0 && <Text>{r.empty}</Text>}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          style={{ alignSelf: 'start' }}
        >
          {r.more}
        </Button>
      )}
    </Stack>
  );
}
