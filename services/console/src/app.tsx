import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { OidcCallbackPage } from './auth/oidc-callback-page';
import { tokenStore } from './api/client';
import { OIDC_CALLBACK_PATH, prefetchSession, useSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import {
  ApprovalsRoute,
  CabRoute,
  ChangeListRoute,
  ChangeRoute,
  CreateChangeRoute,
  ScheduleRoute,
} from './changes/routes';
import { CatalogManageRoute, CatalogRoute } from './catalog/routes';
import { CmdbCiRoute, CmdbSearchRoute } from './cmdb/routes';
import {
  CreateKnownErrorRoute,
  CreateProblemRoute,
  KnownErrorListRoute,
  KnownErrorRoute,
  ProblemListRoute,
  ProblemRoute,
} from './problems/routes';
import { DashboardsRoute, KpiRecordsRoute } from './dashboards/routes';
import { QueuePage } from './records/queue-page';
import { ALL_KINDS, worksOn } from './records/record-kinds';
import { CreateRecordRoute, RecordRoute } from './records/routes';
import { savedQueuesQuery } from './records/saved-queues-api';
import { Shell } from './layout/shell';
import { LiveUpdatesProvider } from './live/live-updates';
import { t } from './strings';
import { Loading } from './layout/loading';

/**
 * The reads a first load waits for, started as the script runs (main.tsx) rather than after
 * React's first render. The default saved queue decides which list the queue page asks for.
 */
export function prefetchFirstReads(queryClient: QueryClient): void {
  prefetchSession(queryClient);
  if (tokenStore.get() !== undefined) void queryClient.prefetchQuery(savedQueuesQuery);
}

/** Agents land on their queue, everyone else on the records they raised. */
function Home() {
  const session = useSession();
  const works = ALL_KINDS.some((kind) => worksOn(session, kind));
  return <Navigate to={works ? '/queue' : '/my'} replace />;
}

export function App() {
  const session = useSession();
  const queryClient = useQueryClient();
  // Signed in on this page: the saved queues read beside /auth/me rather than after it.
  useEffect(() => {
    if (session.signedIn) void queryClient.prefetchQuery(savedQueuesQuery);
  }, [session.signedIn, queryClient]);
  if (!session.signedIn) {
    return (
      <Routes>
        <Route path={OIDC_CALLBACK_PATH} element={<OidcCallbackPage />} />
        <Route path="*" element={<SignInPage />} />
      </Routes>
    );
  }
  if (!session.me) {
    return (
      <Center mih="100vh" component="main">
        {session.meError ? (
          <Stack align="center">
            <Alert color="red">{session.meError}</Alert>
            <Button variant="default" onClick={() => session.signOut()}>
              {t.signIn.signOut}
            </Button>
          </Stack>
        ) : (
          <Loading />
        )}
      </Center>
    );
  }
  return (
    // Keyed by user: another sign-in in this tab opens its own stream.
    <LiveUpdatesProvider key={session.me.username}>
      <Routes>
        <Route element={<Shell />}>
          <Route index element={<Home />} />
          <Route path={OIDC_CALLBACK_PATH} element={<Home />} />
          <Route path="queue" element={<QueuePage view="agent" />} />
          <Route path="my" element={<QueuePage view="mine" />} />
          {ALL_KINDS.flatMap((kind) => [
            <Route
              key={`${kind.type}-new`}
              path={`${kind.collection}/new`}
              element={<CreateRecordRoute key={kind.type} kind={kind} />}
            />,
            <Route
              key={kind.type}
              path={`${kind.collection}/:id`}
              element={<RecordRoute key={kind.type} kind={kind} />}
            />,
          ])}
          <Route path="catalog" element={<CatalogRoute />} />
          <Route path="catalog/manage" element={<CatalogManageRoute />} />
          <Route path="cmdb" element={<CmdbSearchRoute />} />
          <Route path="cmdb/cis/:id" element={<CmdbCiRoute />} />
          <Route path="problems" element={<ProblemListRoute />} />
          <Route path="problems/new" element={<CreateProblemRoute />} />
          <Route path="problems/:id" element={<ProblemRoute />} />
          <Route path="known-errors" element={<KnownErrorListRoute />} />
          <Route path="known-errors/new" element={<CreateKnownErrorRoute />} />
          <Route path="known-errors/:id" element={<KnownErrorRoute />} />
          <Route path="dashboards" element={<DashboardsRoute />} />
          <Route path="dashboards/:metric/records" element={<KpiRecordsRoute />} />
          <Route path="changes" element={<ChangeListRoute />} />
          <Route path="changes/new" element={<CreateChangeRoute />} />
          <Route path="changes/schedule" element={<ScheduleRoute />} />
          <Route path="changes/approvals" element={<ApprovalsRoute />} />
          <Route path="changes/cab" element={<CabRoute />} />
          <Route path="changes/:id" element={<ChangeRoute />} />
          <Route path="*" element={<Text>{t.notFound}</Text>} />
        </Route>
      </Routes>
    </LiveUpdatesProvider>
  );
}
