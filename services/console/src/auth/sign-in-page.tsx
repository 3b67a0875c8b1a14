import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import { t } from '../strings';
import { useSession } from './session';

function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t.signIn.failed;
    if (error.status === 429) return t.signIn.locked;
  }
  return t.signIn.unavailable;
}

/** Local issuer: a user name and password form; OIDC: one button to the identity provider. */
export function SignInPage() {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signInLocal(username, password);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={360}>
        <Stack>
          <Title order={1} size="h2">
            {t.signIn.title}
          </Title>
          {session.expired && <Alert color="yellow">{t.signIn.expired}</Alert>}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {session.config?.mode === 'oidc' && (
            <Button onClick={() => void session.signInOidc()}>{t.signIn.withProvider}</Button>
          )}
          {session.config?.mode !== 'oidc' && (
            <form onSubmit={(event) => void submit(event)}>
              <Stack>
                <TextInput
                  label={t.signIn.username}
                  name="username"
                  autoComplete="username"
                  required
                  autoFocus
                  value={username}
                  onChange={(event) => setUsername(event.currentTarget.value)}
                />
                <PasswordInput
                  label={t.signIn.password}
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                />
                <Button type="submit" loading={busy}>
                  {t.signIn.submit}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
