import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../layout/loading';

// Loaded on first visit: the charts (recharts) and their styles stay out of the main bundle.
const DashboardsPage = lazy(() =>
  import('./dashboards-page').then((module) => ({ default: module.DashboardsPage })),
);
const KpiRecordsPage = lazy(() =>
  import('./kpi-records-page').then((module) => ({ default: module.KpiRecordsPage })),
);

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** `/dashboards`: the KPIs. */
export function DashboardsRoute() {
  return (
    <Lazy>
      <DashboardsPage />
    </Lazy>
  );
}

/** `/dashboards/:metric/records`: the records behind a figure. */
export function KpiRecordsRoute() {
  return (
    <Lazy>
      <KpiRecordsPage />
    </Lazy>
  );
}
