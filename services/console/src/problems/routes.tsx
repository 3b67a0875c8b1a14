import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../layout/loading';

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

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** `/problems`. */
export function ProblemListRoute() {
  return (
    <Lazy>
      <ProblemListPage />
    </Lazy>
  );
}

/** `/problems/new`. */
export function CreateProblemRoute() {
  return (
    <Lazy>
      <CreateProblemPage />
    </Lazy>
  );
}

/** `/problems/:id`. */
export function ProblemRoute() {
  return (
    <Lazy>
      <ProblemPage />
    </Lazy>
  );
}

/** `/known-errors`. */
export function KnownErrorListRoute() {
  return (
    <Lazy>
      <KnownErrorListPage />
    </Lazy>
  );
}

/** `/known-errors/new`. */
export function CreateKnownErrorRoute() {
  return (
    <Lazy>
      <CreateKnownErrorPage />
    </Lazy>
  );
}

/** `/known-errors/:id`. */
export function KnownErrorRoute() {
  return (
    <Lazy>
      <KnownErrorPage />
    </Lazy>
  );
}
