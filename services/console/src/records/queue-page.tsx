import { Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { ServiceRecord, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ChoiceChips } from '../layout/choice-chips';
import { t } from '../strings';
import { BreachingSoonList } from './breaching-soon-list';
import { ALL_KINDS, kindOf, reads, recordPath, worksOn } from './record-kinds';
import { SavedQueuesBar, useDefaultSavedQueue } from './saved-queues-menu';
import { QueueRow, usePriorityBadgeStyles } from './queue-row';
import { preloadRecordPage } from './routes';
import { useQueueKeyboard } from './use-queue-keyboard';

type AgentView = keyof typeof t.queue.views;
const SORTS = Object.keys(t.queue.sorts);
/**
 * Agents: the queues (my work, my groups', unassigned, all open) of incidents or requests
 * (`?type=request`) over `GET /api/v1/incidents` or `/requests` with their filters and sort,
 * kept in the address so a view can be bookmarked. Requesters (`view="mine"`): the records
 * they raised.
 */
export function QueuePage({ view }: { view: 'agent' | 'mine' }) {
  const session = useSession();
  const me = session.me;
  const [params, setParams] = useSearchParams();
  // The record types this list can show the user: those it works (queue) or reads (mine).
  const kinds = ALL_KINDS.filter((each) =>
    view === 'agent' ? worksOn(session, each) : reads(session, each),
  );
  const asked = kindOf(params.get('type'));
  const kind = kinds.includes(asked) ? asked : (kinds[0] ?? asked);
  const queue = (params.get('view') ?? 'unassigned') as AgentView;
  const breaching = view === 'agent' && queue === 'breaching' && session.can('sla:read');
  const state = params.get('state') ?? '';
  const priority = params.get('priority') ?? '';
  const sort = params.get('sort') ?? (view === 'agent' ? 'priority' : '-openedAt');
  const [search, setSearch] = useState(params.get('q') ?? '');
  // A saved queue opened (a new address) brings its own search into the field.
  const addressQ = params.get('q') ?? '';
  const [seenQ, setSeenQ] = useState(addressQ);
  if (addressQ !== seenQ) {
    setSeenQ(addressQ);
    if (addressQ !== search.trim()) setSearch(addressQ);
  }
  const openingDefault = useDefaultSavedQueue();
  const [q] = useDebouncedValue(search.trim(), 300);

  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const groups = me?.groups ?? [];
  const filters: Record<string, string | undefined> = {
    state: state || (view === 'agent' ? kind.openStates.join(',') : undefined),
    priority: priority || undefined,
    sort,
    q: q || undefined,
    limit: '50',
  };
  if (view === 'mine') filters.requester = me?.username;
  else if (queue === 'mine') filters.assignee = me?.username;
  else if (queue === 'groups') filters.assignmentGroup = groups.join(',') || '-';
  else if (queue === 'unassigned') filters.unassigned = 'true';

  const list = useInfiniteQuery({
    queryKey: [kind.collection, filters],
    queryFn: ({ pageParam }) =>
      apiGet<Page<ServiceRecord>>(
        `/${kind.collection}${queryString({ ...filters, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled:
      !openingDefault &&
      (view === 'agent' ? !breaching && (queue !== 'groups' || groups.length > 0) : true),
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const shown = items.length > 0;
  useEffect(() => {
    if (shown) preloadRecordPage();
  }, [shown]);

  const navigate = useNavigate();
  const keyboard = useQueueKeyboard({
    ids: items.map((record) => record.id),
    listKey: JSON.stringify([kind.collection, filters]),
    enabled: !breaching,
    open: (id) => void navigate(recordPath(kind, id)),
  });
  const badgeStyles = usePriorityBadgeStyles();

  return (
    <Stack>
      <Title order={1} size="h2">
        {view === 'agent' ? kind.words.plural : kind.words.mine}
      </Title>
      {kinds.length > 1 && (
        <ChoiceChips
          label={t.queue.recordType}
          value={kind.type}
          onChange={(value) => {
            // Another type has other states: its state filter does not carry over.
            const next = new URLSearchParams(params);
            next.set('type', value);
            next.delete('state');
            setParams(next, { replace: true });
          }}
          data={kinds.map((each) => ({ value: each.type, label: each.words.plural }))}
        />
      )}
      {view === 'agent' && (
        <ChoiceChips
          label={t.queue.view}
          value={queue}
          onChange={(value) => set('view', value)}
          data={Object.entries(t.queue.views)
            // The breaching-soon queue is of SLA timers: for those who may read them.
            .filter(([value]) => value !== 'breaching' || session.can('sla:read'))
            .map(([value, label]) => ({
              value,
              label,
              disabled: value === 'groups' && groups.length === 0,
            }))}
        />
      )}
      {!breaching && (
        <SavedQueuesBar
          page={view}
          address={{
            list: kind.collection,
            view: queue,
            state,
            priority,
            sort,
            q: addressQ.trim(),
          }}
        />
      )}
      {breaching ? (
        <BreachingSoonList
          kind={kind}
          withinHours={params.get('within') ?? '4'}
          onWithinHoursChange={(hours) => set('within', hours)}
        />
      ) : (
        <>
          <Group align="end">
            <TextInput
              ref={keyboard.searchRef}
              aria-keyshortcuts="/"
              onKeyDown={(event) => {
                if (event.key === 'Escape') event.currentTarget.blur();
              }}
              label={t.queue.search}
              placeholder={t.queue.searchPlaceholder}
              value={search}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                set('q', event.currentTarget.value.trim() || null);
              }}
              w={280}
            />
            <Select
              label={t.queue.state}
              placeholder={t.queue.any}
              clearable
              value={state || null}
              onChange={(value) => set('state', value)}
              data={kind.states.map((value) => ({ value, label: t.states[value] ?? value }))}
            />
            <Select
              label={t.queue.priority}
              placeholder={t.queue.any}
              clearable
              value={priority || null}
              onChange={(value) => set('priority', value)}
              data={['P1', 'P2', 'P3', 'P4', 'P5']}
            />
            <Select
              label={t.queue.sort}
              value={sort}
              allowDeselect={false}
              onChange={(value) => set('sort', value)}
              data={SORTS.map((value) => ({
                value,
                label: t.queue.sorts[value as keyof typeof t.queue.sorts],
              }))}
            />
          </Group>
          {list.error && <Alert color="red">{list.error.message}</Alert>}
          <Table
            ref={keyboard.tableRef}
            striped
            highlightOnHover
            aria-busy={list.isFetching}
            onKeyDown={keyboard.onTableKey}
          >
            <Table.Caption>{kind.words.caption(items.length)}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {Object.values(t.queue.columns).map((label) => (
                  <Table.Th key={label}>{label}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((record) => (
                <QueueRow
                  key={record.id}
                  record={record}
                  path={recordPath(kind, record.id)}
                  selected={record.id === keyboard.selectedId}
                  badgeStyles={badgeStyles}
                />
              ))}
            </Table.Tbody>
          </Table>
          {!list.isPending && items.length === 0 && <Text>{kind.words.empty}</Text>}
          {list.hasNextPage && (
            <Button
              variant="default"
              onClick={() => void list.fetchNextPage()}
              loading={list.isFetchingNextPage}
            >
              {t.queue.more}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
