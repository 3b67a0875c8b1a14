import { Alert, Anchor, Badge, Button, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { t } from '../strings';
import { recordPath, type RecordKind } from './record-kinds';
import { TONE_COLORS, useNow } from './sla-clock';
import { formatDuration, timerStatus, type SlaTimer } from './sla-timer-status';
import { formatDateTime } from '../layout/date-time';

/** A timer as the breaching-soon list shows it: with the record it measures. */
interface QueuedTimer extends SlaTimer {
  recordId: string;
  recordNumber: string;
  assignmentGroup: string | null;
}

const WINDOWS_HOURS = ['1', '4', '8', '24'] as const;

/**
 * The breaching-soon queue: the SLA and OLA timers of records of one type that are already
 * breached and still counting, or due within the chosen hours, soonest first
 * (`GET /api/v1/sla-timers?sort=dueAt`, docs/slm.md), each counting down.
 */
export function BreachingSoonList({
  kind,
  withinHours,
  onWithinHoursChange,
}: {
  kind: RecordKind;
  withinHours: string;
  onWithinHoursChange: (hours: string) => void;
}) {
  const list = useInfiniteQuery({
    queryKey: ['sla-timers', 'breaching', kind.type, withinHours],
    queryFn: ({ pageParam }) =>
      apiGet<Page<QueuedTimer>>(
        `/sla-timers${queryString({
          sort: 'dueAt',
          state: 'running,breached',
          recordType: kind.type,
          // From the moment of each read: a list read again takes in what came due since.
          dueBefore: new Date(Date.now() + Number(withinHours) * 3_600_000).toISOString(),
          limit: '50',
          cursor: pageParam,
        })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // The slm moves timers on its own clock (warnings, breaches): read the list again now and then.
    refetchInterval: 30_000,
  });
  const timers = list.data?.pages.flatMap((page) => page.items) ?? [];
  const now = useNow(timers.length > 0);
  const words = t.queue.breaching;

  return (
    <Stack>
      <Select
        label={words.within}
        value={withinHours}
        allowDeselect={false}
        onChange={(value) => value && onWithinHoursChange(value)}
        data={WINDOWS_HOURS.map((hours) => ({ value: hours, label: words.hours(Number(hours)) }))}
        w={200}
      />
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table striped highlightOnHover aria-busy={list.isFetching}>
        <Table.Caption>{words.caption(timers.length, Number(withinHours))}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {Object.values(words.columns).map((label) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {timers.map((timer) => {
            const status = timerStatus(timer, now);
            const remaining = status.remainingMs ?? 0;
            return (
              <Table.Tr key={timer.id} data-testid="breaching-timer">
                <Table.Td>
                  <Anchor component={Link} to={recordPath(kind, timer.recordId)}>
                    {timer.recordNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {timer.slaName}{' '}
                  <Text span size="sm" c="dimmed">
                    {t.sla.kinds[timer.kind]} · {t.sla.targets[timer.target]}
                  </Text>
                </Table.Td>
                <Table.Td>{timer.dueAt && formatDateTime(timer.dueAt)}</Table.Td>
                <Table.Td data-testid="breaching-remaining" style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    color={TONE_COLORS[status.tone]}
                    variant="filled"
                    tt="none"
                    // The time left is read in full, never cut to an ellipsis.
                    styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                  >
                    {remaining >= 0
                      ? t.sla.left(formatDuration(remaining))
                      : t.sla.overdue(formatDuration(remaining))}
                  </Badge>
                </Table.Td>
                <Table.Td>{`${Math.round(status.percentUsed)}%`}</Table.Td>
                <Table.Td>{timer.assignmentGroup ?? ''}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {!list.isPending && timers.length === 0 && <Text>{words.empty}</Text>}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t.queue.more}
        </Button>
      )}
    </Stack>
  );
}
