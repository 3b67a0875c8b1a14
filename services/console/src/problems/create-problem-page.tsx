import {
  Alert,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import { t } from '../strings';
import { createProblemBody, problemFormComplete, type ProblemForm } from './problem-forms';
import type { ProblemRecord } from './types';

const c = t.problems.create;
const LEVELS = Object.entries(t.create.levels).map(([value, label]) => ({ value, label }));
/** randomUUID needs a secure context (HTTPS, or localhost). */
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined);

/**
 * `/problems/new`: a problem by hand, or from an incident (`?fromIncident=<id>&incident=<number>`,
 * as the incident page's "Open a problem" sends), whose fields the service copies.
 */
export function CreateProblemPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const fromIncidentId = params.get('fromIncident') ?? undefined;
  const incidentNumber = params.get('incident') ?? '';
  const [form, setForm] = useState<ProblemForm>({
    title: '',
    description: '',
    category: '',
    impact: '',
    urgency: '',
    assignmentGroup: '',
    workaround: '',
    fromIncidentId,
  });
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const create = useMutation({
    mutationFn: () =>
      apiRequest<ProblemRecord>('POST', '/problems', {
        body: createProblemBody(form),
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      }),
    onError: (error) => {
      if (error instanceof ApiError) setIdempotencyKey(newKey());
    },
    onSuccess: async ({ body }) => {
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      void navigate(`/problems/${body.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problemFormComplete(form) && !create.isPending) create.mutate();
  };
  const field = (name: keyof ProblemForm) => ({
    value: form[name] ?? '',
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({ ...current, [name]: value }));
    },
  });
  // The incident is not known to the problem service yet (its event is on the way): a 400 naming the field.
  const notYetKnown =
    create.error instanceof ApiError &&
    create.error.status === 400 &&
    create.error.problem?.errors?.some((error) => error.field === 'fromIncidentId');
  return (
    <Card withBorder maw={720}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            {c.title}
          </Title>
          {fromIncidentId && <Text>{c.fromIncident(incidentNumber || fromIncidentId)}</Text>}
          {create.error && (
            <Alert color="red">{notYetKnown ? c.notYetKnown : create.error.message}</Alert>
          )}
          <TextInput
            label={c.shortTitle}
            required={!fromIncidentId}
            description={fromIncidentId ? c.titleFromIncident : undefined}
            autoFocus
            maxLength={200}
            {...field('title')}
          />
          <Textarea label={c.description} autosize minRows={3} {...field('description')} />
          <Group grow>
            <TextInput label={c.category} maxLength={100} {...field('category')} />
            <TextInput label={c.assignmentGroup} maxLength={100} {...field('assignmentGroup')} />
          </Group>
          <Group grow>
            {(['impact', 'urgency'] as const).map((name) => (
              <Select
                key={name}
                label={c[name]}
                clearable
                data={LEVELS}
                value={form[name] || null}
                onChange={(value) => setForm((current) => ({ ...current, [name]: value ?? '' }))}
              />
            ))}
          </Group>
          <Textarea label={c.workaround} autosize minRows={2} {...field('workaround')} />
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
