import { Alert, Button, Card, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import { t } from '../strings';
import { createKnownErrorBody, knownErrorFormComplete, type KnownErrorForm } from './problem-forms';
import { useProblem } from './problems-api';
import type { KnownError } from './types';

const c = t.problems.createKnownError;
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined);

/**
 * `/known-errors/new`, or `?problemId=` from a problem's page: the known error starts
 * with the problem's root cause and workaround, and names the problem.
 */
export function CreateKnownErrorPage() {
  const [params] = useSearchParams();
  const problemId = params.get('problemId') ?? undefined;
  const problem = useProblem(problemId ?? '', problemId !== undefined);
  if (problemId && problem.isPending) return null;
  return <KnownErrorFormCard key={problemId} problemId={problemId} problem={problem.data} />;
}

function KnownErrorFormCard({
  problemId,
  problem,
}: {
  problemId: string | undefined;
  problem:
    | {
        number: string;
        title: string;
        causeNotes: string | null;
        workaround: string | null;
        category: string | null;
        description: string;
      }
    | undefined;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<KnownErrorForm>({
    title: problem?.title ?? '',
    symptom: problem?.description ?? '',
    workaround: problem?.workaround ?? '',
    rootCause: problem?.causeNotes ?? '',
    solution: '',
    errorCode: '',
    category: problem?.category ?? '',
    problemId,
  });
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const create = useMutation({
    mutationFn: () =>
      apiRequest<KnownError>('POST', '/known-errors', {
        body: createKnownErrorBody(form),
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      }),
    onError: (error) => {
      if (error instanceof ApiError) setIdempotencyKey(newKey());
    },
    onSuccess: async ({ body }) => {
      await queryClient.invalidateQueries({ queryKey: ['known-errors'] });
      void navigate(`/known-errors/${body.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (knownErrorFormComplete(form) && !create.isPending) create.mutate();
  };
  const field = (name: Exclude<keyof KnownErrorForm, 'problemId'>) => ({
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({ ...current, [name]: value }));
    },
  });
  return (
    <Card withBorder maw={720}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            {c.title}
          </Title>
          {problem && <Text>{c.forProblem(problem.number)}</Text>}
          {create.error && <Alert color="red">{create.error.message}</Alert>}
          <TextInput
            label={c.shortTitle}
            description={c.titleHint}
            maxLength={200}
            {...field('title')}
          />
          <Textarea
            label={c.symptom}
            description={c.symptomHint}
            required
            autosize
            minRows={2}
            {...field('symptom')}
          />
          <Textarea label={c.workaround} autosize minRows={2} {...field('workaround')} />
          <Textarea label={c.rootCause} autosize minRows={2} {...field('rootCause')} />
          <Textarea label={c.solution} autosize minRows={2} {...field('solution')} />
          <Group grow>
            <TextInput label={c.errorCode} maxLength={100} {...field('errorCode')} />
            <TextInput label={c.category} maxLength={100} {...field('category')} />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {c.submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
