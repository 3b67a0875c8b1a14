import {
  Alert,
  Anchor,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { PriorityBadge, when } from './parts';
import { OPEN_PROBLEM_STATES, PROBLEM_SOURCES, PROBLEM_STATES, type ProblemRecord } from './types';

const l = t.problems.list;
/** The state filter's values besides the states themselves. */
const OPEN = 'open';
const ANY = 'any';
/** Typed filters: sent once typing pauses, and kept in the address. */
const TYPED = ['q', 'assignmentGroup', 'assignee', 'category'] as const;
type Typed = (typeof TYPED)[number];

/**
 * `GET /api/v1/problems` with its filters (state, priority, source, assignment, category,
 * full-text search) and sort, kept in the address so a list can be bookmarked; "Load more"
 * follows `nextCursor`.
 */
export function ProblemListPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState<Record<Typed, string>>(
    () =>
      Object.fromEntries(TYPED.map((name) => [name, params.get(name) ?? ''])) as Record<
        Typed,
        string
      >,
  );
  const [debounced] = useDebouncedValue(typed, 300);
  const state = params.get('state') ?? OPEN;
  const priority = params.get('priority') ?? '';
  const source = params.get('source') ?? '';
  const sort = params.get('sort') ?? '-openedAt';

  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const type = (name: Typed) => ({
    value: typed[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setTyped((current) => ({ ...current, [name]: value }));
      set(name, value.trim() || null);
    },
  });

  const filters: Record<string, string | undefined> = {
    state: state === ANY ? undefined : state === OPEN ? OPEN_PROBLEM_STATES.join(',') : state,
    priority: priority || undefined,
    source: source || undefined,
    sort,
    limit: '50',
  };
  for (const name of TYPED) filters[name] = debounced[name].trim() || undefined;

  const list = useInfiniteQuery({
    queryKey: ['problems', filters],
    queryFn: ({ pageParam }) =>
      apiGet<Page<ProblemRecord>>(`/problems${queryString({ ...filters, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {l.title}
        </Title>
        {session.can('problem:write') && (
          <Button component={Link} to="/problems/new">
            {l.create}
          </Button>
        )}
      </Group>
      <Group align="end">
        <TextInput label={l.search} placeholder={l.searchPlaceholder} w={300} {...type('q')} />
        <Select
          label={l.state}
          allowDeselect={false}
          value={state}
          onChange={(value) => set('state', value === OPEN ? null : value)}
          data={[
            { value: OPEN, label: l.openStates },
            { value: ANY, label: l.anyState },
            ...PROBLEM_STATES.map((value) => ({ value, label: t.problems.states[value] ?? value })),
          ]}
          w={190}
        />
        <Select
          label={l.priority}
          placeholder={l.any}
          clearable
          value={priority || null}
          onChange={(value) => set('priority', value)}
          data={['P1', 'P2', 'P3', 'P4', 'P5']}
          w={110}
        />
        <Select
          label={l.source}
          placeholder={l.any}
          clearable
          value={source || null}
          onChange={(value) => set('source', value)}
          data={PROBLEM_SOURCES.map((value) => ({
            value,
            label: t.problems.sources[value] ?? value,
          }))}
          w={190}
        />
      </Group>
      <Group align="end">
        <TextInput label={l.assignmentGroup} w={200} {...type('assignmentGroup')} />
        <TextInput label={l.assignee} w={160} {...type('assignee')} />
        <TextInput label={l.category} w={160} {...type('category')} />
        <Select
          label={l.sort}
          allowDeselect={false}
          value={sort}
          onChange={(value) => set('sort', value)}
          data={Object.entries(l.sorts).map(([value, label]) => ({ value, label }))}
          w={200}
        />
      </Group>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table striped highlightOnHover aria-busy={list.isFetching}>
        <Table.Caption>{l.caption(items.length)}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {Object.values(l.columns).map((label) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((problem) => (
            <Table.Tr key={problem.id}>
              <Table.Td>
                <Anchor component={Link} to={`/problems/${problem.id}`}>
                  {problem.number}
                </Anchor>
              </Table.Td>
              <Table.Td>{problem.title}</Table.Td>
              <Table.Td>
                <PriorityBadge priority={problem.priority} />
              </Table.Td>
              <Table.Td>{t.problems.states[problem.state] ?? problem.state}</Table.Td>
              <Table.Td>
                {[problem.assignmentGroup, problem.assignee].filter(Boolean).join(' / ')}
              </Table.Td>
              <Table.Td>{problem.incidentCount}</Table.Td>
              <Table.Td>{when(problem.openedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!list.isPending && items.length === 0 && <Text>{l.empty}</Text>}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {l.more}
        </Button>
      )}
    </Stack>
  );
}
