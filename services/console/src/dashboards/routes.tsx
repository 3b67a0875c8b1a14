import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';

// Loaded on first visit: the charts (recharts) and their styles stay out of the main bundle.
const DashboardsPage = lazy(() =>
  import('./dashboards-page').then((module) => ({ default: module.DashboardsPage })),
);
const KpiRecordsPage = lazy(() =>
  import('./kpi-records-page').then((module) => ({ default: module.KpiRecordsPage })),
);

/** `/dashboards`: the KPIs. */
export function DashboardsRoute() {
  return (
    <LazyPage>
      <DashboardsPage />
    </LazyPage>
  );
}

/** `/dashboards/:metric/records`: the records behind a figure. */
export function KpiRecordsRoute() {
  return (
    <LazyPage>
      <KpiRecordsPage />
    </LazyPage>
  );
}
