import {
  Alert,
  Button,
  Card,
  Group,
  MultiSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, apiGet, apiRequest, queryString } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import type { ConfigurationItem } from '../cmdb/types';
import { t } from '../strings';
import { fromLocalInput } from './shared';
import type { Change } from './types';

const s = t.changes.create;

/** randomUUID needs a secure context (HTTPS, or localhost). */
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined);

/** CIs whose name starts with what is typed, for the CI picker. */
function useCiSearch(typed: string, enabled: boolean) {
  return useQuery({
    queryKey: ['cis', 'picker', typed],
    queryFn: () =>
      apiGet<Page<ConfigurationItem>>(`/cis${queryString({ search: typed, limit: '20' })}`),
    enabled: enabled && typed.length > 0,
  });
}

/**
 * Raises a normal or emergency change (`POST /api/v1/changes`): title, description,
 * justification, category, impact, the planned window, the CIs (picked from the CMDB by
 * name), assignment group and plans. Standard changes come from a template and are not
 * raised here yet.
 */
export function CreateChangePage() {
  const navigate = useNavigate();
  const session = useSession();
  const queryClient = useQueryClient();
  const [model, setModel] = useState<'normal' | 'emergency'>('normal');
  const [values, setValues] = useState<Record<string, string>>({ impact: '3' });
  const [ciIds, setCiIds] = useState<string[]>([]);
  const [ciNames, setCiNames] = useState<Map<string, string>>(new Map());
  const [search, setSearch] = useState('');
  const [typed] = useDebouncedValue(search.trim(), 250);
  const found = useCiSearch(typed, session.can('cmdb:read'));
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);

  // Names of the CIs picked, kept when a new search replaces the options.
  const foundNames = new Map((found.data?.items ?? []).map((ci) => [ci.id, ci.name]));
  const ciOptions = [...new Set([...ciIds, ...foundNames.keys()])].map((id) => ({
    value: id,
    label: foundNames.get(id) ?? ciNames.get(id) ?? id,
  }));

  const create = useMutation({
    mutationFn: () => {
      const text = (name: string) => values[name]?.trim() || undefined;
      const body = {
        title: text('title'),
        model,
        description: text('description'),
        justification: text('justification'),
        category: text('category'),
        impact: Number(values.impact),
        plannedStart: fromLocalInput(values.plannedStart ?? ''),
        plannedEnd: fromLocalInput(values.plannedEnd ?? ''),
        ciIds,
        assignmentGroup: text('assignmentGroup'),
        implementationPlan: text('implementationPlan'),
        backoutPlan: text('backoutPlan'),
        testPlan: text('testPlan'),
        blackoutOverrideReason: model === 'emergency' ? text('override') : undefined,
      };
      return apiRequest<Change>('POST', '/changes', {
        body,
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      });
    },
    onError: (error) => {
      if (error instanceof ApiError) setIdempotencyKey(newKey());
    },
    onSuccess: async ({ body }) => {
      await queryClient.invalidateQueries({ queryKey: ['changes'] });
      void navigate(`/changes/${body.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!create.isPending) create.mutate();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !create.isPending) {
      event.preventDefault();
      create.mutate();
    }
  };
  const field = (name: string) => ({
    value: values[name] ?? '',
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setValues((current) => ({ ...current, [name]: value }));
    },
  });
  const problem = create.error instanceof ApiError ? create.error.problem : undefined;

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {s.title}
      </Title>
      <form onSubmit={submit} onKeyDown={onKeyDown}>
        <Card withBorder>
          <Stack>
            {create.error && (
              <Alert color="red">
                {create.error.message}
                {problem?.errors?.map((error) => (
                  <Text key={error.field} size="sm">
                    {error.field}: {error.message}
                  </Text>
                ))}
              </Alert>
            )}
            <TextInput label={s.shortTitle} required data-autofocus autoFocus {...field('title')} />
            <div>
              <Text size="sm" fw={500} id="change-model-label">
                {s.model}
              </Text>
              <SegmentedControl
                aria-labelledby="change-model-label"
                value={model}
                onChange={(value) => setModel(value as 'normal' | 'emergency')}
                data={Object.entries(s.models).map(([value, label]) => ({ value, label }))}
              />
            </div>
            <Textarea label={s.description} autosize minRows={3} {...field('description')} />
            <Textarea label={s.justification} autosize minRows={2} {...field('justification')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label={s.category} {...field('category')} />
              <div>
                <Text size="sm" fw={500} id="change-impact-label">
                  {s.impact}
                </Text>
                <SegmentedControl
                  aria-labelledby="change-impact-label"
                  value={values.impact}
                  onChange={(value) => setValues((current) => ({ ...current, impact: value }))}
                  data={Object.entries(t.changes.change.impacts).map(([value, label]) => ({
                    value,
                    label,
                  }))}
                />
              </div>
              <TextInput label={s.assignmentGroup} {...field('assignmentGroup')} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                type="datetime-local"
                label={s.plannedStart}
                description={s.windowHint}
                {...field('plannedStart')}
              />
              <TextInput
                type="datetime-local"
                label={s.plannedEnd}
                description={s.windowHint}
                {...field('plannedEnd')}
              />
            </SimpleGrid>
            {session.can('cmdb:read') && (
              <MultiSelect
                label={s.cis}
                description={s.cisHint}
                searchable
                searchValue={search}
                onSearchChange={setSearch}
                filter={({ options }) => options}
                value={ciIds}
                onChange={(ids) => {
                  setCiNames(
                    new Map(ids.map((id) => [id, foundNames.get(id) ?? ciNames.get(id) ?? id])),
                  );
                  setCiIds(ids);
                  setSearch('');
                }}
                data={ciOptions}
                nothingFoundMessage={typed ? s.noCis : undefined}
              />
            )}
            <Textarea
              label={s.implementationPlan}
              autosize
              minRows={2}
              {...field('implementationPlan')}
            />
            <Textarea label={s.backoutPlan} autosize minRows={2} {...field('backoutPlan')} />
            <Textarea label={s.testPlan} autosize minRows={2} {...field('testPlan')} />
            {model === 'emergency' && (
              <Textarea
                label={s.override}
                description={s.overrideHint}
                autosize
                minRows={2}
                {...field('override')}
              />
            )}
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {s.hint}
              </Text>
              <Button type="submit" loading={create.isPending}>
                {s.submit}
              </Button>
            </Group>
          </Stack>
        </Card>
      </form>
    </Stack>
  );
}
