import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';

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

/** `/changes`: the change list. */
export function ChangeListRoute() {
  return (
    <LazyPage>
      <ChangeListPage />
    </LazyPage>
  );
}

/** `/changes/:id`: one change. */
export function ChangeRoute() {
  return (
    <LazyPage>
      <ChangePage />
    </LazyPage>
  );
}

/** `/changes/new`: raise a change. */
export function CreateChangeRoute() {
  return (
    <LazyPage>
      <CreateChangePage />
    </LazyPage>
  );
}

/** `/changes/schedule`: the change calendar. */
export function ScheduleRoute() {
  return (
    <LazyPage>
      <SchedulePage />
    </LazyPage>
  );
}

/** `/changes/approvals`: the approvals inbox. */
export function ApprovalsRoute() {
  return (
    <LazyPage>
      <ApprovalsPage />
    </LazyPage>
  );
}

/** `/changes/cab`: the CAB agenda. */
export function CabRoute() {
  return (
    <LazyPage>
      <CabPage />
    </LazyPage>
  );
}
