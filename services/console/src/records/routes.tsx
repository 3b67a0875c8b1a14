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
 * Fetches the record page's code ahead of the first click on a record, once the queue is on
 * screen, so the click does not wait for it (the record page's goal is 300 ms).
 */
export function preloadRecordPage(): void {
  void loadRecordPage();
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
