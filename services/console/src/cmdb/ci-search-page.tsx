import {
  Alert,
  Anchor,
  Badge,
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
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { t } from '../strings';
import { CI_STATUSES, type CiClass, type ConfigurationItem } from './types';
import { formatDateTime } from '../layout/date-time';

const s = t.cmdb.search;

/** Every class, for the class filter; the hierarchy changes rarely. */
export function useCiClasses() {
  return useQuery({
    queryKey: ['ci-classes'],
    queryFn: () => apiGet<{ items: CiClass[] }>('/ci-classes'),
    staleTime: 5 * 60_000,
  });
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge variant={status === 'operational' ? 'filled' : 'default'} data-testid="ci-status">
      {t.cmdb.statuses[status] ?? status}
    </Badge>
  );
}

/**
 * CI search over `GET /api/v1/cis`: name prefix, class (subclasses included), status,
 * environment and any identifier, kept in the address so a search can be bookmarked;
 * "Load more" follows `nextCursor`.
 */
export function CiSearchPage() {
  const [params, setParams] = useSearchParams();
  const [name, setName] = useState(params.get('search') ?? '');
  const [identifier, setIdentifier] = useState(params.get('identifier') ?? '');
  const [environment, setEnvironment] = useState(params.get('environment') ?? '');
  const [typed] = useDebouncedValue(
    { search: name.trim(), identifier: identifier.trim(), environment: environment.trim() },
    300,
  );
  const ciClass = params.get('class') ?? '';
  const status = params.get('status') ?? '';
  const classes = useCiClasses();

  const set = (field: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(field, value);
    else next.delete(field);
    setParams(next, { replace: true });
  };

  const filters: Record<string, string | undefined> = {
    search: typed.search || undefined,
    identifier: typed.identifier || undefined,
    environment: typed.environment || undefined,
    class: ciClass || undefined,
    status: status || undefined,
    limit: '50',
  };
  const list = useInfiniteQuery({
    queryKey: ['cis', filters],
    queryFn: ({ pageParam }) =>
      apiGet<Page<ConfigurationItem>>(`/cis${queryString({ ...filters, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const labels = new Map((classes.data?.items ?? []).map((c) => [c.name, c.label]));

  const typedField = (field: string, setValue: (value: string) => void) => ({
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      setValue(event.currentTarget.value);
      set(field, event.currentTarget.value.trim() || null);
    },
  });

  return (
    <Stack>
      <Title order={1} size="h2">
        {s.title}
      </Title>
      <Group align="end">
        <TextInput
          label={s.name}
          placeholder={s.namePlaceholder}
          value={name}
          {...typedField('search', setName)}
          w={220}
        />
        <Select
          label={s.class}
          placeholder={s.any}
          clearable
          searchable
          value={ciClass || null}
          onChange={(value) => set('class', value)}
          data={(classes.data?.items ?? []).map((c) => ({ value: c.name, label: c.label }))}
        />
        <Select
          label={s.status}
          placeholder={s.any}
          clearable
          value={status || null}
          onChange={(value) => set('status', value)}
          data={CI_STATUSES.map((value) => ({ value, label: t.cmdb.statuses[value] ?? value }))}
        />
        <TextInput
          label={s.environment}
          value={environment}
          {...typedField('environment', setEnvironment)}
          w={160}
        />
        <TextInput
          label={s.identifier}
          placeholder={s.identifierPlaceholder}
          value={identifier}
          {...typedField('identifier', setIdentifier)}
          w={280}
        />
      </Group>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table striped highlightOnHover aria-busy={list.isFetching}>
        <Table.Caption>{s.caption(items.length)}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {Object.values(s.columns).map((label) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((ci) => (
            <Table.Tr key={ci.id}>
              <Table.Td>
                <Anchor component={Link} to={`/cmdb/cis/${ci.id}`}>
                  {ci.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{labels.get(ci.class) ?? ci.class}</Table.Td>
              <Table.Td>
                <StatusBadge status={ci.status} />
              </Table.Td>
              <Table.Td>{ci.environment ?? ''}</Table.Td>
              <Table.Td>{ci.criticality ?? ''}</Table.Td>
              <Table.Td>{formatDateTime(ci.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!list.isPending && items.length === 0 && <Text>{s.empty}</Text>}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {s.more}
        </Button>
      )}
    </Stack>
  );
}
