import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { RiskBadge, StateBadge, windowText } from './shared';
import { CHANGE_MODELS, CHANGE_RISKS, CHANGE_STATES, type Change } from './types';

const s = t.changes.list;

const options = (values: readonly string[], labels: Record<string, string>) =>
  values.map((value) => ({ value, label: labels[value] ?? value }));

/**
 * The change list over `GET /api/v1/changes`: states, models, risks (each several),
 * assignment group, on hold, unauthorised and full-text search, with the API's sorts; kept
 * in the address so a list can be bookmarked. "Load more" follows `nextCursor`.
 */
export function ChangeListPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [group, setGroup] = useState(params.get('assignmentGroup') ?? '');
  const [typed] = useDebouncedValue({ q: q.trim(), group: group.trim() }, 300);
  const list = (name: string) => (params.get(name) ?? '').split(',').filter(Boolean);

  const set = (field: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(field, value);
    else next.delete(field);
    setParams(next, { replace: true });
  };
  const typedField = (field: string, setValue: (value: string) => void) => ({
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      setValue(event.currentTarget.value);
      set(field, event.currentTarget.value.trim() || null);
    },
  });

  const sort = params.get('sort') ?? '-openedAt';
  const filters: Record<string, string | undefined> = {
    q: typed.q || undefined,
    assignmentGroup: typed.group || undefined,
    state: params.get('state') ?? undefined,
    model: params.get('model') ?? undefined,
    risk: params.get('risk') ?? undefined,
    onHold: params.get('onHold') ?? undefined,
    unauthorized: params.get('unauthorized') ?? undefined,
    sort,
    limit: '50',
  };
  const changes = useInfiniteQuery({
    queryKey: ['changes', filters],
    queryFn: ({ pageParam }) =>
      apiGet<Page<Change>>(`/changes${queryString({ ...filters, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // While a new filter is read, the rows of the last one stay (marked busy).
    placeholderData: keepPreviousData,
  });
  const items = changes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {s.title}
        </Title>
        {session.can('change:write') && (
          <Button component={Link} to="/changes/new">
            {s.create}
          </Button>
        )}
      </Group>
      <Group align="end">
        <TextInput
          label={s.search}
          placeholder={s.searchPlaceholder}
          value={q}
          {...typedField('q', setQ)}
          w={300}
        />
        <MultiSelect
          label={s.state}
          placeholder={list('state').length ? undefined : s.any}
          clearable
          value={list('state')}
          onChange={(value) => set('state', value.join(','))}
          data={options(CHANGE_STATES, t.changes.states)}
          w={220}
        />
        <MultiSelect
          label={s.model}
          placeholder={list('model').length ? undefined : s.any}
          clearable
          value={list('model')}
          onChange={(value) => set('model', value.join(','))}
          data={options(CHANGE_MODELS, t.changes.models)}
          w={200}
        />
        <MultiSelect
          label={s.risk}
          placeholder={list('risk').length ? undefined : s.any}
          clearable
          value={list('risk')}
          onChange={(value) => set('risk', value.join(','))}
          data={options(CHANGE_RISKS, t.changes.risks)}
          w={200}
        />
        <TextInput
          label={s.group}
          value={group}
          {...typedField('assignmentGroup', setGroup)}
          w={170}
        />
        <Select
          label={s.sort}
          value={sort}
          onChange={(value) => set('sort', value === '-openedAt' ? null : value)}
          data={Object.entries(s.sorts).map(([value, label]) => ({ value, label }))}
          allowDeselect={false}
          w={230}
        />
      </Group>
      <Group>
        <Checkbox
          label={s.onHold}
          checked={params.get('onHold') === 'true'}
          onChange={(event) => set('onHold', event.currentTarget.checked ? 'true' : null)}
        />
        <Checkbox
          label={s.unauthorized}
          checked={params.get('unauthorized') === 'true'}
          onChange={(event) => set('unauthorized', event.currentTarget.checked ? 'true' : null)}
        />
      </Group>
      {changes.error && <Alert color="red">{changes.error.message}</Alert>}
      <Table striped highlightOnHover aria-busy={changes.isFetching}>
        <Table.Caption>{s.caption(items.length)}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {Object.values(s.columns).map((label) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((change) => (
            <Table.Tr key={change.id}>
              <Table.Td>
                <Anchor component={Link} to={`/changes/${change.id}`}>
                  {change.number}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {change.title}{' '}
                {change.onHold && (
                  <Badge variant="outline" color="red.9">
                    {s.held}
                  </Badge>
                )}{' '}
                {change.unauthorized && (
                  <Badge variant="outline" color="red.9">
                    {s.unauthorizedBadge}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{t.changes.models[change.model] ?? change.model}</Table.Td>
              <Table.Td>
                <StateBadge state={change.state} />
              </Table.Td>
              <Table.Td>
                <RiskBadge risk={change.risk} />
              </Table.Td>
              <Table.Td>{t.changes.approvals[change.approval] ?? change.approval}</Table.Td>
              <Table.Td>{windowText(change.plannedStart, change.plannedEnd)}</Table.Td>
              <Table.Td>{change.assignmentGroup ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!changes.isPending && items.length === 0 && <Text>{s.empty}</Text>}
      {changes.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void changes.fetchNextPage()}
          loading={changes.isFetchingNextPage}
        >
          {s.more}
        </Button>
      )}
    </Stack>
  );
}
