import { Alert, Anchor, Center, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
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
        {error ? (
          <>
            <Alert color="red" role="alert">
              {error}
            </Alert>
            {/* A refused or failed sign-in must not be a dead end: back to the sign-in page. */}
            <Anchor component={Link} to="/" replace>
              {t.signIn.title}
            </Anchor>
          </>
        ) : (
          <>
            <Loading label={t.signIn.completing} />
            <Text>{t.signIn.completing}</Text>
          </>
        )}
      </Stack>
    </Center>
  );
}
