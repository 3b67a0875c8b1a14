import { Alert, Anchor, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { useKpis } from './kpi-api';
import { kpiPath, totalDrillDown, type DashboardQuery } from './kpi-tables';
import type { MetricDefinition } from './types';

const d = t.dashboards;

/** A headline figure over the whole range; the figure is a link to the records behind it. */
export function KpiFigure({ metric, query }: { metric: MetricDefinition; query: DashboardQuery }) {
  const [result] = useKpis([kpiPath(metric, query)]);
  const answer = result.data;
  const total = answer?.series[0]?.total;
  const text = d.figure(total?.value ?? null, metric.unit);
  return (
    <Paper withBorder p="sm" data-testid={`figure-${metric.id}`}>
      <Stack gap={4}>
        <Text size="sm" c="dimmed" title={metric.formula}>
          {metric.name}
        </Text>
        {result.error && <Alert color="red">{result.error.message}</Alert>}
        {!result.error && !answer && <Loading />}
        {answer && total && (
          <>
            <Anchor
              component={Link}
              to={totalDrillDown(answer)}
              fz="xl"
              fw={700}
              aria-label={d.figureLink(metric.name, text)}
              data-testid="figure-value"
            >
              {text}
            </Anchor>
            <Text size="xs" c="dimmed">
              {total.numerator !== undefined && total.denominator !== undefined
                ? d.ofRecords(total.numerator, total.denominator)
                : d.measured(total.count)}
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}
