import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import { useSession } from '../auth/session';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { Field, HistoryCard, TextBlock, when } from './parts';
import {
  isValid,
  KNOWN_ERROR_TEXT_FIELDS,
  knownErrorChanges,
  type KnownErrorTextField,
} from './problem-forms';
import { useKnownError, useKnownErrorHistory, useProblem } from './problems-api';
import type { KnownError } from './types';

const k = t.problems.knownError;

/** The problem a known error came from, by number when the user may see it. */
function ProblemLink({ problemId }: { problemId: string }) {
  const problem = useProblem(problemId);
  return (
    <Anchor component={Link} to={`/problems/${problemId}`} data-testid="known-error-problem">
      {problem.data ? `${problem.data.number} · ${problem.data.title}` : problemId}
    </Anchor>
  );
}

const LONG: readonly KnownErrorTextField[] = ['symptom', 'workaround', 'rootCause', 'solution'];

/** Changes the text of a known error (`PATCH` with its revision as `If-Match`). */
function EditKnownError({ knownError, onDone }: { knownError: KnownError; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(
    () =>
      Object.fromEntries(
        KNOWN_ERROR_TEXT_FIELDS.map((field) => [field, knownError[field] ?? '']),
      ) as Record<KnownErrorTextField, string>,
  );
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['known-error', knownError.id] });
    await queryClient.invalidateQueries({ queryKey: ['known-errors'] });
  };
  const save = useMutation({
    mutationFn: () =>
      apiRequest<KnownError>('PATCH', `/known-errors/${knownError.id}`, {
        body: knownErrorChanges(knownError, form),
        headers: { 'if-match': `"${knownError.revision}"` },
      }),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) void refresh();
    },
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (form.symptom.trim() && !save.isPending) save.mutate();
        }}
      >
        <Stack>
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          {KNOWN_ERROR_TEXT_FIELDS.map((field) => {
            const props = {
              label: k[field],
              required: field === 'symptom' || field === 'title',
              value: form[field],
              onChange: (event: { currentTarget: { value: string } }) => {
                const value = event.currentTarget.value;
                setForm((current) => ({ ...current, [field]: value }));
              },
            };
            return LONG.includes(field) ? (
              <Textarea key={field} autosize minRows={2} {...props} />
            ) : (
              <TextInput key={field} maxLength={field === 'title' ? 200 : 100} {...props} />
            );
          })}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {k.cancel}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {k.save}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** `/known-errors/:id`: symptom, workaround, root cause, solution, status, its problem, history. */
export function KnownErrorPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const knownError = useKnownError(id);
  const history = useKnownErrorHistory(id, knownError.data?.revision);
  if (knownError.isPending) return <Loading />;
  if (knownError.error) {
    return (
      <Alert color="red">
        {knownError.error instanceof ApiError && knownError.error.status === 404
          ? k.notFound
          : knownError.error.message}
      </Alert>
    );
  }
  const current = knownError.data;
  const valid = isValid(current.validUntil, Date.now());
  return (
    <Stack>
      <Anchor component={Link} to="/known-errors" size="sm">
        {k.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {current.number} · {current.title}
        </Title>
        <Badge
          color={valid ? 'teal.9' : 'gray.7'}
          variant="filled"
          data-testid="known-error-status"
        >
          {!valid && current.validUntil
            ? k.expired(when(current.validUntil))
            : current.validUntil
              ? k.validUntil(when(current.validUntil))
              : k.valid}
        </Badge>
        {session.can('problem:write') && !editing && (
          <Button variant="default" size="xs" onClick={() => setEditing(true)}>
            {k.edit}
          </Button>
        )}
      </Group>
      {editing ? (
        <EditKnownError knownError={current} onDone={() => setEditing(false)} />
      ) : (
        <Card withBorder>
          <Stack>
            <TextBlock label={k.symptom} value={current.symptom} />
            <TextBlock
              label={k.workaround}
              value={current.workaround}
              testId="known-error-workaround"
            />
            <TextBlock label={k.rootCause} value={current.rootCause} />
            <TextBlock label={k.solution} value={current.solution} />
          </Stack>
        </Card>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {k.details}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field
                label={k.problem}
                value={
                  current.problemId ? <ProblemLink problemId={current.problemId} /> : k.noProblem
                }
              />
              <Field label={k.errorCode} value={current.errorCode} />
              <Field label={k.category} value={current.category} />
              <Field label={k.ciClass} value={current.ciClass} />
              <Field label={k.vendor} value={current.vendor} />
              <Field label={k.model} value={current.model} />
              <Field label={k.version} value={current.version} />
              <Field label={k.createdBy} value={current.createdBy} />
              <Field label={k.createdAt} value={when(current.createdAt)} />
              <Field label={k.updatedAt} value={when(current.updatedAt)} />
            </SimpleGrid>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <HistoryCard entries={history.data?.items} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
