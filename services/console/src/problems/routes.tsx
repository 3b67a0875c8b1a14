import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';

// Loaded on first visit: the problem and known-error screens stay out of the main bundle.
const ProblemListPage = lazy(() =>
  import('./problem-list-page').then((module) => ({ default: module.ProblemListPage })),
);
const ProblemPage = lazy(() =>
  import('./problem-page').then((module) => ({ default: module.ProblemPage })),
);
const CreateProblemPage = lazy(() =>
  import('./create-problem-page').then((module) => ({ default: module.CreateProblemPage })),
);
const KnownErrorListPage = lazy(() =>
  import('./known-error-list-page').then((module) => ({ default: module.KnownErrorListPage })),
);
const KnownErrorPage = lazy(() =>
  import('./known-error-page').then((module) => ({ default: module.KnownErrorPage })),
);
const CreateKnownErrorPage = lazy(() =>
  import('./create-known-error-page').then((module) => ({
    default: module.CreateKnownErrorPage,
  })),
);

/** `/problems`. */
export function ProblemListRoute() {
  return (
    <LazyPage>
      <ProblemListPage />
    </LazyPage>
  );
}

/** `/problems/new`. */
export function CreateProblemRoute() {
  return (
    <LazyPage>
      <CreateProblemPage />
    </LazyPage>
  );
}

/** `/problems/:id`. */
export function ProblemRoute() {
  return (
    <LazyPage>
      <ProblemPage />
    </LazyPage>
  );
}

/** `/known-errors`. */
export function KnownErrorListRoute() {
  return (
    <LazyPage>
      <KnownErrorListPage />
    </LazyPage>
  );
}

/** `/known-errors/new`. */
export function CreateKnownErrorRoute() {
  return (
    <LazyPage>
      <CreateKnownErrorPage />
    </LazyPage>
  );
}

/** `/known-errors/:id`. */
export function KnownErrorRoute() {
  return (
    <LazyPage>
      <KnownErrorPage />
    </LazyPage>
  );
}
