import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../layout/loading';

// Loaded on first visit: the change screens stay out of the main bundle.
const ChangeListPage = lazy(() =>
  import('./change-list-page').then((module) => ({ default: module.ChangeListPage })),
);
const ChangePage = lazy(() =>
  import('./change-page').then((module) => ({ default: module.ChangePage })),
);
const CreateChangePage = lazy(() =>
  import('./create-change-page').then((module) => ({ default: module.CreateChangePage })),
);
const SchedulePage = lazy(() =>
  import('./schedule-page').then((module) => ({ default: module.SchedulePage })),
);
const ApprovalsPage = lazy(() =>
  import('./approvals-page').then((module) => ({ default: module.ApprovalsPage })),
);
const CabPage = lazy(() => import('./cab-page').then((module) => ({ default: module.CabPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** `/changes`: the change list. */
export function ChangeListRoute() {
  return (
    <Lazy>
      <ChangeListPage />
    </Lazy>
  );
}

/** `/changes/:id`: one change. */
export function ChangeRoute() {
  return (
    <Lazy>
      <ChangePage />
    </Lazy>
  );
}

/** `/changes/new`: raise a change. */
export function CreateChangeRoute() {
  return (
    <Lazy>
      <CreateChangePage />
    </Lazy>
  );
}

/** `/changes/schedule`: the change calendar. */
export function ScheduleRoute() {
  return (
    <Lazy>
      <SchedulePage />
    </Lazy>
  );
}

/** `/changes/approvals`: the approvals inbox. */
export function ApprovalsRoute() {
  return (
    <Lazy>
      <ApprovalsPage />
    </Lazy>
  );
}

/** `/changes/cab`: the CAB agenda. */
export function CabRoute() {
  return (
    <Lazy>
      <CabPage />
    </Lazy>
  );
}
