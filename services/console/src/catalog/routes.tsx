import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';

// Loaded on first visit: the catalogue screens stay out of the main bundle.
const CatalogPage = lazy(() =>
  import('./catalog-page').then((module) => ({ default: module.CatalogPage })),
);
const CatalogManagePage = lazy(() =>
  import('./catalog-manage-page').then((module) => ({ default: module.CatalogManagePage })),
);

/** `/catalog`: what a requester can ask for. */
export function CatalogRoute() {
  return (
    <LazyPage>
      <CatalogPage />
    </LazyPage>
  );
}

/** `/catalog/manage`: the catalogue's items, for those who keep it. */
export function CatalogManageRoute() {
  return (
    <LazyPage>
      <CatalogManagePage />
    </LazyPage>
  );
}
