import { BarChart, LineChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Box,
  Button,
  Collapse,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId } from 'react';
import { Link, useNavigate } from 'react-router';
import { t } from '../strings';
import { csvFileName, toCsv } from './csv';
import { type ChartSpec } from './dashboard-layout';
import { downloadFile } from './download';
import { useKpis } from './kpi-api';
import {
  breakdownTable,
  chartData,
  durationsTable,
  ignoredFilters,
  kpiPath,
  periodsTable,
  summarise,
  tableCsv,
  type DashboardQuery,
  type KpiTable,
} from './kpi-tables';
import type { MetricDefinition } from './types';
import { Loading } from '../layout/loading';

const d = t.dashboards;
/** Shades readable on white and on Mantine's dark background; lines also differ by dash. */
const COLORS = ['indigo.6', 'teal.7', 'orange.7'];
const DASHES = ['0', '6 3', '2 2'];

function tableOf(
  chart: ChartSpec,
  metrics: MetricDefinition[],
  answers: NonNullable<ReturnType<typeof useKpis>[number]['data']>[],
): KpiTable {
  switch (chart.kind) {
    case 'periods':
      return periodsTable(
        metrics.map((metric, index) => ({
          key: metric.id,
          label: metric.name,
          answer: answers[index],
        })),
      );
    case 'durations':
      return durationsTable(answers[0], d.statistics);
    case 'breakdown':
      return breakdownTable(
        answers[0],
        chart.by,
        { key: metrics[0].id, label: metrics[0].name },
        (value) => value ?? d.none,
      );
  }
}

/**
 * One chart of a dashboard with its text alternative: a summary read as the chart's name,
 * the figures as a table (each a link to its records), and the table as CSV. A click on a
 * bar or point opens the records behind it; the keyboard reaches them through the table.
 */
export function KpiChartCard({
  chart,
  metrics,
  query,
}: {
  chart: ChartSpec;
  metrics: MetricDefinition[];
  query: DashboardQuery;
}) {
  const navigate = useNavigate();
  const titleId = useId();
  const tableId = useId();
  const [tableShown, { toggle }] = useDisclosure(false);
  const title = d.charts[chart.id] ?? chart.id;
  const by = chart.kind === 'breakdown' ? chart.by : undefined;
  const results = useKpis(metrics.map((metric) => kpiPath(metric, query, by)));
  const error = results.find((result) => result.error)?.error;
  const answers = results.map((result) => result.data);
  const loaded = answers.every((answer) => answer !== undefined);
  const table = loaded ? tableOf(chart, metrics, answers) : undefined;
  const rowHeader =
    chart.kind === 'breakdown'
      ? (d.dimensions[chart.by] ?? chart.by)
      : (d.rowHeaders[query.interval] ?? query.interval);
  const ignored = [...new Set(metrics.flatMap((metric) => ignoredFilters(metric, query)))];

  const open = (column: string, index: number | undefined) => {
    const link = index === undefined ? undefined : table?.rows[index]?.cells[column]?.drillDown;
    if (link) void navigate(link);
  };
  const download = () => {
    if (!table) return;
    const { header, rows } = tableCsv(table, rowHeader);
    downloadFile(csvFileName(title, new Date()), toCsv(header, rows));
  };

  const figure = (value: number | null) => d.figure(value, table?.unit ?? 'count');
  const summary =
    table &&
    d.chartSummary(
      title,
      table.rows.length,
      summarise(table).map((column) => ({
        label: column.label,
        ...(column.highest && column.lowest && column.latest
          ? {
              highest: { row: column.highest.row, text: figure(column.highest.value) },
              lowest: { row: column.lowest.row, text: figure(column.lowest.value) },
              latest: { row: column.latest.row, text: figure(column.latest.value) },
            }
          : {}),
      })),
    );
  const series = (table?.columns ?? []).map((column, index) => ({
    name: column.key,
    label: column.label,
    color: COLORS[index % COLORS.length],
    strokeDasharray: DASHES[index % DASHES.length],
  }));
  const common = {
    h: 240,
    data: table ? chartData(table) : [],
    dataKey: 'label',
    series,
    withLegend: series.length > 1,
    valueFormatter: figure,
    // Counts are whole: no 0.5 ticks that round to the same label.
    yAxisProps: { allowDecimals: table?.unit !== 'count' },
  };

  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby={titleId}
      data-testid={`chart-${chart.id}`}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="start">
          <Title order={3} size="h5" id={titleId}>
            {title}
          </Title>
          <Button
            variant="default"
            size="xs"
            onClick={download}
            disabled={!table}
            aria-label={d.downloadCsvOf(title)}
          >
            {d.downloadCsv}
          </Button>
        </Group>
        {ignored.length > 0 && (
          <Text size="xs" c="dimmed">
            {d.notFilteredBy(ignored.map((name) => d.dimensions[name] ?? name).join(', '))}
          </Text>
        )}
        {error && <Alert color="red">{error.message}</Alert>}
        {!error && !table && <Loading />}
        {table && table.rows.length === 0 && <Text size="sm">{d.empty}</Text>}
        {table && table.rows.length > 0 && (
          <>
            <Box role="img" aria-label={summary} data-testid="chart-image">
              {chart.type === 'bar' ? (
                <BarChart
                  {...common}
                  barChartProps={{ accessibilityLayer: false }}
                  barProps={(each) => ({
                    isAnimationActive: false,
                    cursor: 'pointer',
                    onClick: (_item, index) => open(each.name, index),
                  })}
                />
              ) : (
                <LineChart
                  {...common}
                  connectNulls={false}
                  lineProps={{ isAnimationActive: false }}
                  lineChartProps={{
                    accessibilityLayer: false,
                    onClick: (state) =>
                      open(
                        table.columns[0].key,
                        typeof state.activeTooltipIndex === 'number'
                          ? state.activeTooltipIndex
                          : state.activeTooltipIndex === undefined ||
                              state.activeTooltipIndex === null
                            ? undefined
                            : Number(state.activeTooltipIndex),
                      ),
                  }}
                />
              )}
            </Box>
            <Text size="xs" c="dimmed">
              {d.chartHint}
            </Text>
          </>
        )}
        {table && table.rows.length > 0 && (
          <>
            <Button
              variant="default"
              size="xs"
              onClick={toggle}
              aria-expanded={tableShown}
              aria-controls={tableId}
              style={{ alignSelf: 'start' }}
            >
              {tableShown ? d.hideTable : d.showTable}
            </Button>
            <Collapse expanded={tableShown} id={tableId}>
              <FiguresTable table={table} title={title} rowHeader={rowHeader} />
            </Collapse>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function FiguresTable({
  table,
  title,
  rowHeader,
}: {
  table: KpiTable;
  title: string;
  rowHeader: string;
}) {
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped data-testid="chart-table">
        <Table.Caption>{d.tableCaption(title)}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{rowHeader}</Table.Th>
            {table.columns.map((column) => (
              <Table.Th key={column.key} scope="col">
                {column.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw="normal">
                {row.label} {row.partial && d.partial}
              </Table.Th>
              {table.columns.map((column) => {
                const cell = row.cells[column.key];
                const text = d.figure(cell?.value ?? null, table.unit);
                return (
                  <Table.Td key={column.key}>
                    {cell?.drillDown ? (
                      <Anchor
                        component={Link}
                        to={cell.drillDown}
                        aria-label={d.cellLink(column.label, row.label, text)}
                      >
                        {text}
                      </Anchor>
                    ) : (
                      text
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
