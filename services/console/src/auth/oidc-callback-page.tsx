import { Alert, Center, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { t } from '../strings';
import { useSession } from './session';
import { Loading } from '../layout/loading';

/** Where the identity provider sends the browser back with the authorisation code. */
export function OidcCallbackPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const started = useRef(false);

  useEffect(() => {
    if (!session.config || started.current) return;
    started.current = true;
    session.completeOidc().then(
      () => void navigate('/', { replace: true }),
      (caught: unknown) => setError(caught instanceof Error ? caught.message : t.errors.generic),
    );
  }, [session, navigate]);

  return (
    <Center mih="100vh" component="main">
      <Stack align="center">
        {error ? <Alert color="red">{error}</Alert> : <Loading label={t.signIn.completing} />}
        {!error && <Text>{t.signIn.completing}</Text>}
      </Stack>
    </Center>
  );
}
