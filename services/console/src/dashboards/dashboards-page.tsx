import '@mantine/charts/styles.css';
import {
  Alert,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiGet } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { chartMetrics, SECTIONS } from './dashboard-layout';
import { KpiChartCard } from './kpi-chart-card';
import { KpiFigure } from './kpi-figure';
import { useMetricRegistry } from './kpi-api';
import { dashboardQueryOf, INTERVALS, PERIOD_PRESETS } from './kpi-tables';
import type { MetricDefinition } from './types';

const d = t.dashboards;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** The browser's time zone: periods are the user's days, weeks and months. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Business services to filter by, for those who may read the CMDB. */
function useBusinessServices(enabled: boolean) {
  return useQuery({
    queryKey: ['cis', 'business-services'],
    queryFn: () =>
      apiGet<Page<{ id: string; name: string }>>('/cis?class=business_service&limit=200'),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** A text filter kept in the address once typing pauses. */
function useTypedFilter(
  params: URLSearchParams,
  name: string,
  set: (name: string, value: string | null) => void,
) {
  const [value, setValue] = useState(params.get(name) ?? '');
  const [typed] = useDebouncedValue(value.trim(), 400);
  useEffect(() => {
    if (typed !== (params.get(name) ?? '')) set(name, typed || null);
    // Only the typed value drives the address.
  }, [typed]);
  return {
    value,
    onChange: (event: { currentTarget: { value: string } }) => setValue(event.currentTarget.value),
  };
}

/**
 * `/dashboards`: the reporting service's KPIs (docs/reporting.md) for the range, interval
 * and filters in the address, by section, each section and figure only for those who may
 * read the records it counts.
 */
export function DashboardsPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const registry = useMetricRegistry();
  const timeZone = useMemo(browserTimeZone, []);
  // The range's first day: fixed for the page's life, so the queries keep their keys.
  const [now] = useState(() => new Date());
  const query = dashboardQueryOf(params, now, timeZone);
  const services = useBusinessServices(session.can('cmdb:read'));

  const set = (name: string, value: string | null) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  };
  const group = useTypedFilter(params, 'group', set);
  const category = useTypedFilter(params, 'category', set);

  const readable = new Map(
    (registry.data?.items ?? [])
      .filter((metric) => session.can(metric.permission))
      .map((metric) => [metric.id, metric]),
  );
  const metricsOf = (ids: string[]): MetricDefinition[] | undefined => {
    const found = ids.map((id) => readable.get(id));
    return found.every((metric) => metric !== undefined) ? found : undefined;
  };
  const sections = SECTIONS.map((section) => ({
    section,
    figures: section.figures.flatMap((id) => readable.get(id) ?? []),
    charts: section.charts.flatMap((chart) => {
      const metrics = metricsOf(chartMetrics(chart));
      return metrics ? [{ chart, metrics }] : [];
    }),
  })).filter(({ figures, charts }) => figures.length > 0 || charts.length > 0);
  const shown = sections.find(({ section }) => section.id === params.get('section')) ?? sections[0];

  return (
    <Stack>
      <Title order={1} size="h2">
        {d.title}
      </Title>
      <Text size="sm">{d.intro}</Text>
      <Group align="end" role="group" aria-label={d.filters}>
        <Select
          label={d.period}
          value={query.period}
          allowDeselect={false}
          onChange={(value) => {
            set('period', value);
            set('interval', null);
          }}
          data={PERIOD_PRESETS.map((value) => ({ value, label: d.periods[value] ?? value }))}
          w={170}
        />
        <Select
          label={d.interval}
          value={query.interval}
          allowDeselect={false}
          onChange={(value) => set('interval', value)}
          data={INTERVALS.map((value) => ({ value, label: d.intervals[value] ?? value }))}
          w={120}
        />
        {session.can('cmdb:read') && (
          <Select
            label={d.service}
            placeholder={d.any}
            clearable
            searchable
            value={query.filters.service ?? null}
            onChange={(value) => set('service', value)}
            data={(services.data?.items ?? []).map((ci) => ({ value: ci.id, label: ci.name }))}
            w={220}
          />
        )}
        <TextInput label={d.group} placeholder={d.groupPlaceholder} {...group} w={180} />
        <Select
          label={d.priority}
          placeholder={d.any}
          clearable
          value={query.filters.priority ?? null}
          onChange={(value) => set('priority', value)}
          data={PRIORITIES}
          w={110}
        />
        <TextInput label={d.category} placeholder={d.categoryPlaceholder} {...category} w={180} />
      </Group>
      {registry.error && <Alert color="red">{registry.error.message}</Alert>}
      {registry.isPending && <Loading />}
      {registry.data && sections.length === 0 && <Alert>{d.nothingReadable}</Alert>}
      {sections.length > 0 && (
        // One section at a time: only its figures are asked for and drawn.
        <Tabs
          value={shown?.section.id ?? null}
          onChange={(value) => set('section', value)}
          keepMounted={false}
        >
          <Tabs.List>
            {sections.map(({ section }) => (
              <Tabs.Tab key={section.id} value={section.id}>
                {d.sections[section.id]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {sections.map(({ section, figures, charts }) => (
            <Tabs.Panel key={section.id} value={section.id} pt="md">
              <Stack gap="sm" data-testid="dashboard-section">
                <Title order={2} size="h3">
                  {d.sections[section.id]}
                </Title>
                <SimpleGrid cols={{ base: 2, sm: 3, lg: 4, xl: 7 }} spacing="sm">
                  {figures.map((metric) => (
                    <KpiFigure key={metric.id} metric={metric} query={query} />
                  ))}
                </SimpleGrid>
                <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
                  {charts.map(({ chart, metrics }) => (
                    <KpiChartCard key={chart.id} chart={chart} metrics={metrics} query={query} />
                  ))}
                </SimpleGrid>
              </Stack>
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
