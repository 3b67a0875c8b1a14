import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
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
import { when } from './parts';
import type { KnownError } from './types';

const k = t.problems.knownErrors;
const TYPED = ['q', 'category', 'errorCode'] as const;
type Typed = (typeof TYPED)[number];

/**
 * `GET /api/v1/known-errors`: full-text search (ranked, best first), category and error
 * code, expired ones on demand; kept in the address, "Load more" follows `nextCursor`.
 */
export function KnownErrorListPage() {
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
  const includeExpired = params.get('includeExpired') === 'true';
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
    includeExpired: includeExpired ? 'true' : undefined,
    limit: '50',
  };
  for (const name of TYPED) filters[name] = debounced[name].trim() || undefined;
  const list = useInfiniteQuery({
    queryKey: ['known-errors', filters],
    queryFn: ({ pageParam }) =>
      apiGet<Page<KnownError>>(`/known-errors${queryString({ ...filters, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {k.title}
        </Title>
        {session.can('problem:write') && (
          <Button component={Link} to="/known-errors/new">
            {k.create}
          </Button>
        )}
      </Group>
      <Group align="end">
        <TextInput label={k.search} placeholder={k.searchPlaceholder} w={320} {...type('q')} />
        <TextInput label={k.category} w={160} {...type('category')} />
        <TextInput label={k.errorCode} w={160} {...type('errorCode')} />
        <Checkbox
          label={k.includeExpired}
          checked={includeExpired}
          onChange={(event) => set('includeExpired', event.currentTarget.checked ? 'true' : null)}
          mb={8}
        />
      </Group>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table striped highlightOnHover aria-busy={list.isFetching}>
        <Table.Caption>{k.caption(items.length)}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {Object.values(k.columns).map((label) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((knownError) => (
            <Table.Tr key={knownError.id}>
              <Table.Td>
                <Anchor component={Link} to={`/known-errors/${knownError.id}`}>
                  {knownError.number}
                </Anchor>
              </Table.Td>
              <Table.Td>{knownError.title}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {knownError.workaround ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>{knownError.category ?? ''}</Table.Td>
              <Table.Td>{when(knownError.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!list.isPending && items.length === 0 && <Text>{k.empty}</Text>}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {k.more}
        </Button>
      )}
    </Stack>
  );
}
