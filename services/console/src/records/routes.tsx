import { lazy } from 'react';
import { LazyPage } from '../layout/lazy-page';
import type { RecordKind } from './record-kinds';

// Loaded on demand: the first load of the queue does not compile the record screens.
const loadRecordPage = () => import('./record-page');
const RecordPage = lazy(() => loadRecordPage().then((module) => ({ default: module.RecordPage })));
const CreateRecordPage = lazy(() =>
  import('./create-record-page').then((module) => ({ default: module.CreateRecordPage })),
);

/**
 * Fetches the record page's code ahead of the first click on a record, so the click does not
 * wait for it (the record page's goal is 300 ms): once the browser is idle, as compiling it
 * beside the queue's first paint would delay the rows.
 */
export function preloadRecordPage(): void {
  const load = () => void loadRecordPage();
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}

/** `/incidents/:id`, `/requests/:id`. */
export function RecordRoute({ kind }: { kind: RecordKind }) {
  return (
    <LazyPage>
      <RecordPage kind={kind} />
    </LazyPage>
  );
}

/** `/incidents/new`, `/requests/new`. */
export function CreateRecordRoute({ kind }: { kind: RecordKind }) {
  return (
    <LazyPage>
      <CreateRecordPage kind={kind} />
    </LazyPage>
  );
}
