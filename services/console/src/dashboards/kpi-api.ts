import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import type { KpiAnswer, MetricRegistry } from './types';

/** The metric registry: names, units, dimensions and the permission each needs. */
export function useMetricRegistry() {
  return useQuery({
    queryKey: ['kpi-metrics'],
    queryFn: () => apiGet<MetricRegistry>('/reports/metrics'),
    staleTime: 5 * 60_000,
  });
}

/** KPI answers by their API paths (`kpiPath`); one figure asked twice is read once. */
export function useKpis(paths: string[]) {
  return useQueries({
    queries: paths.map((path) => ({
      queryKey: ['kpi', path],
      queryFn: () => apiGet<KpiAnswer>(path),
    })),
  });
}
