import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';

// Loaded on first visit: Cytoscape.js and the CMDB screens stay out of the main bundle.
const CiSearchPage = lazy(() =>
  import('./ci-search-page').then((module) => ({ default: module.CiSearchPage })),
);
const CiPage = lazy(() => import('./ci-page').then((module) => ({ default: module.CiPage })));

/** `/cmdb`: the CI search. */
export function CmdbSearchRoute() {
  return (
    <LazyPage>
      <CiSearchPage />
    </LazyPage>
  );
}

/** `/cmdb/cis/:id`: one CI. */
export function CmdbCiRoute() {
  return (
    <LazyPage>
      <CiPage />
    </LazyPage>
  );
}
