import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { OidcCallbackPage } from './auth/oidc-callback-page';
import { OIDC_CALLBACK_PATH, useSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { CmdbCiRoute, CmdbSearchRoute } from './cmdb/routes';
import { CreateIncidentPage } from './incidents/create-incident-page';
import { QueuePage } from './incidents/queue-page';
import { RecordPage } from './incidents/record-page';
import { Shell } from './layout/shell';
import { t } from './strings';

/** Agents land on their queue, everyone else on the records they raised. */
function Home() {
  const session = useSession();
  return <Navigate to={session.can('incident:update') ? '/queue' : '/my'} replace />;
}

export function App() {
  const session = useSession();
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
          <Loader aria-label={t.loading} />
        )}
      </Center>
    );
  }
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Home />} />
        <Route path={OIDC_CALLBACK_PATH} element={<Home />} />
        <Route path="queue" element={<QueuePage view="agent" />} />
        <Route path="my" element={<QueuePage view="mine" />} />
        <Route path="incidents/new" element={<CreateIncidentPage />} />
        <Route path="incidents/:id" element={<RecordPage />} />
        <Route path="cmdb" element={<CmdbSearchRoute />} />
        <Route path="cmdb/cis/:id" element={<CmdbCiRoute />} />
        <Route path="*" element={<Text>{t.notFound}</Text>} />
      </Route>
    </Routes>
  );
}
