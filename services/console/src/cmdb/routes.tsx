import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../layout/loading';

// Loaded on first visit: Cytoscape.js and the CMDB screens stay out of the main bundle.
const CiSearchPage = lazy(() =>
  import('./ci-search-page').then((module) => ({ default: module.CiSearchPage })),
);
const CiPage = lazy(() => import('./ci-page').then((module) => ({ default: module.CiPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** `/cmdb`: the CI search. */
export function CmdbSearchRoute() {
  return (
    <Lazy>
      <CiSearchPage />
    </Lazy>
  );
}

/** `/cmdb/cis/:id`: one CI. */
export function CmdbCiRoute() {
  return (
    <Lazy>
      <CiPage />
    </Lazy>
  );
}
