import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Group,
  List,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { type CSSProperties } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import {
  fromDayParam,
  placeOnDays,
  shiftAnchor,
  startOfDay,
  toDayParam,
  visibleDays,
  visibleRange,
  type CalendarEvent,
  type CalendarView,
  type DaySegment,
} from './calendar';
import { conflictsQuery } from './changes-api';
import { conflictKindsByChange, groupConflicts, type ConflictGroup } from './conflicts';
import { RiskBadge } from './shared';
import type { ChangeConflicts, ScheduledChange, ScheduledWindow } from './types';
import { formatDateTime } from '../layout/date-time';

const s = t.changes.calendar;

/** The most changes whose conflicts one view asks for (one `GET …/conflicts` each). */
const CONFLICT_CHECKS = 60;
const HOUR_PX = 28;

type Item =
  | (CalendarEvent & { type: 'change'; change: ScheduledChange })
  | (CalendarEvent & { type: 'window'; window: ScheduledWindow });

const time = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

const barring = (window: ScheduledWindow) => window.kind !== 'maintenance';

/** Stripes for blackouts and freezes, plain for maintenance windows: told apart by more than colour. */
function windowStyle(window: ScheduledWindow): CSSProperties {
  return barring(window)
    ? {
        background:
          'repeating-linear-gradient(135deg, var(--mantine-color-red-light) 0 6px, transparent 6px 12px)',
        border: '1px dashed var(--mantine-color-red-9)',
      }
    : {
        background: 'var(--mantine-color-green-light)',
        border: '1px solid var(--mantine-color-green-9)',
      };
}

function changeStyle(conflicted: boolean): CSSProperties {
  return {
    border: conflicted
      ? '2px solid var(--mantine-color-red-9)'
      : '1px solid var(--mantine-color-default-border)',
    background: 'var(--mantine-color-body)',
    borderRadius: 4,
  };
}

function ChangeLabel({
  segment,
  kinds,
}: {
  segment: DaySegment<Item>;
  kinds: string[] | undefined;
}) {
  const item = segment.event;
  if (item.type !== 'change') return null;
  const { change } = item;
  const conflicted = kinds !== undefined && kinds.length > 0;
  return (
    <Anchor
      component={Link}
      to={`/changes/${change.id}`}
      fz={10}
      lh={1.25}
      c="var(--mantine-color-text)"
      style={{ wordBreak: 'break-word' }}
      data-testid="calendar-change"
      data-conflict={conflicted ? 'true' : undefined}
      display="block"
    >
      {conflicted && <span aria-hidden="true">⚠ </span>}
      <strong>{change.number}</strong>{' '}
      {segment.continuesFromBefore ? s.continues : time(item.start)} {change.title}
      {conflicted && (
        <VisuallyHidden>
          {' '}
          {s.conflictMark(kinds.map((kind) => t.changes.conflictKinds[kind] ?? kind).join(', '))}
        </VisuallyHidden>
      )}
    </Anchor>
  );
}

function WindowLabel({ window }: { window: ScheduledWindow }) {
  return (
    <Text size="xs" fw={600} data-testid="calendar-window">
      {t.changes.windowKinds[window.kind] ?? window.kind}: {window.name}
      {window.inForceSince ? ` (${s.inForce})` : ''}
    </Text>
  );
}

function MonthGrid({
  days,
  placed,
  month,
  kinds,
}: {
  days: Date[];
  placed: DaySegment<Item>[][];
  month: number;
  kinds: Map<string, string[]>;
}) {
  const today = startOfDay(new Date()).getTime();
  const weeks = Array.from({ length: days.length / 7 }, (_, week) => week * 7);
  return (
    <Table withTableBorder withColumnBorders layout="fixed" data-testid="calendar-month">
      <Table.Thead>
        <Table.Tr>
          {s.weekdays.map((day) => (
            <Table.Th key={day} scope="col">
              {day}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {weeks.map((first) => (
          <Table.Tr key={first}>
            {days.slice(first, first + 7).map((day, offset) => {
              const segments = placed[first + offset];
              return (
                <Table.Td
                  key={day.getTime()}
                  valign="top"
                  h={110}
                  bg={day.getTime() === today ? 'var(--mantine-color-blue-light)' : undefined}
                  data-day={toDayParam(day)}
                >
                  <Text size="sm" fw={700} c={day.getMonth() === month ? undefined : 'dimmed'}>
                    <VisuallyHidden>{s.dayLabel(day)}</VisuallyHidden>
                    <span aria-hidden="true">{day.getDate()}</span>
                  </Text>
                  <Stack gap={2}>
                    {segments.map((segment) =>
                      segment.event.type === 'window' ? (
                        <Box
                          key={segment.event.id}
                          px={4}
                          style={windowStyle(segment.event.window)}
                        >
                          <WindowLabel window={segment.event.window} />
                        </Box>
                      ) : (
                        <Box
                          key={segment.event.id}
                          px={4}
                          style={changeStyle((kinds.get(segment.event.id) ?? []).length > 0)}
                        >
                          <ChangeLabel segment={segment} kinds={kinds.get(segment.event.id)} />
                        </Box>
                      ),
                    )}
                  </Stack>
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function WeekGrid({
  days,
  placed,
  kinds,
}: {
  days: Date[];
  placed: DaySegment<Item>[][];
  kinds: Map<string, string[]>;
}) {
  const height = HOUR_PX * 24;
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table withTableBorder withColumnBorders layout="fixed" miw={980} data-testid="calendar-week">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>
              <VisuallyHidden>{s.view}</VisuallyHidden>
            </Table.Th>
            {days.map((day) => (
              <Table.Th key={day.getTime()} scope="col">
                {s.dayLabel(day)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td p={0} valign="top">
              <Box pos="relative" h={height} aria-hidden="true">
                {Array.from({ length: 24 }, (_, hour) => (
                  <Text key={hour} size="xs" pos="absolute" top={hour * HOUR_PX} right={4} lh={1}>
                    {String(hour).padStart(2, '0')}:00
                  </Text>
                ))}
              </Box>
            </Table.Td>
            {days.map((day, index) => {
              const segments = placed[index];
              const windows = segments.filter((segment) => segment.event.type === 'window');
              const changes = segments.filter((segment) => segment.event.type === 'change');
              // Windows lie under the changes, across the day's width; changes share it by lane.
              const windowLanes = Math.max(1, windows.length);
              return (
                <Table.Td key={day.getTime()} p={0} valign="top" data-day={toDayParam(day)}>
                  <Box
                    pos="relative"
                    h={height}
                    style={{
                      backgroundImage: `repeating-linear-gradient(to bottom, var(--mantine-color-default-border) 0 1px, transparent 1px ${HOUR_PX}px)`,
                    }}
                  >
                    {windows.map((segment, lane) => {
                      const item = segment.event;
                      if (item.type !== 'window') return null;
                      return (
                        <Box
                          key={item.id}
                          pos="absolute"
                          top={`${segment.top * 100}%`}
                          h={`${segment.height * 100}%`}
                          left={`${(lane / windowLanes) * 100}%`}
                          w={`${100 / windowLanes}%`}
                          px={2}
                          style={{ ...windowStyle(item.window), overflow: 'hidden' }}
                        >
                          <WindowLabel window={item.window} />
                        </Box>
                      );
                    })}
                    {changes.map((segment) => {
                      const conflicted = (kinds.get(segment.event.id) ?? []).length > 0;
                      return (
                        <Box
                          key={segment.event.id}
                          pos="absolute"
                          top={`${segment.top * 100}%`}
                          mih={HOUR_PX}
                          h={`${segment.height * 100}%`}
                          left={`calc(${(segment.lane / segment.lanes) * 100}% + 2px)`}
                          w={`calc(${100 / segment.lanes}% - 4px)`}
                          px={2}
                          style={{ ...changeStyle(conflicted), overflow: 'hidden', zIndex: 1 }}
                        >
                          <ChangeLabel segment={segment} kinds={kinds.get(segment.event.id)} />
                        </Box>
                      );
                    })}
                  </Box>
                </Table.Td>
              );
            })}
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function ConflictsCard({
  groups,
  numbers,
  windows,
  checking,
  checked,
  total,
}: {
  groups: ConflictGroup[];
  numbers: Map<string, string>;
  windows: Map<string, ScheduledWindow>;
  checking: boolean;
  checked: number;
  total: number;
}) {
  return (
    <Card withBorder data-testid="calendar-conflicts">
      <Title order={2} size="h4" mb="sm">
        {s.conflictsTitle}
      </Title>
      {checking && <Loading label={s.checking} />}
      {checked < total && <Text size="sm">{s.conflictsLimited(checked, total)}</Text>}
      {!checking && groups.length === 0 && <Text c="dimmed">{s.noConflicts}</Text>}
      <List spacing="xs">
        {groups.map((group) => (
          <List.Item key={group.key}>
            <Group gap="xs">
              <Badge variant="outline" color="red.9">
                {t.changes.conflictKinds[group.kind] ?? group.kind}
              </Badge>
              {group.changeIds.map((id) => (
                <Anchor key={id} component={Link} to={`/changes/${id}`} size="sm">
                  {numbers.get(id) ?? id}
                </Anchor>
              ))}
              {group.windowId && windows.get(group.windowId) && (
                <Text size="sm">{windows.get(group.windowId)?.name}</Text>
              )}
            </Group>
            <Text size="sm">{group.messages[0]}</Text>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

/**
 * The change schedule as a month or week calendar (`GET /api/v1/changes/schedule`): the
 * open changes' planned windows, the maintenance windows, blackouts and freezes, and the
 * conflicts the change service reports for each change shown (`GET …/conflicts`), marked
 * on the changes and listed below. View and date are kept in the address.
 */
export function SchedulePage() {
  const [params, setParams] = useSearchParams();
  const view: CalendarView = params.get('view') === 'week' ? 'week' : 'month';
  const anchor = fromDayParam(params.get('date')) ?? startOfDay(new Date());
  const ciId = params.get('ciId') ?? undefined;
  const { from, to } = visibleRange(view, anchor);
  const go = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [name, value] of Object.entries(next))
      if (value) merged.set(name, value);
      else merged.delete(name);
    setParams(merged, { replace: true });
  };

  const schedule = useQuery({
    queryKey: ['schedule', from.toISOString(), to.toISOString(), ciId],
    queryFn: () =>
      apiGet<{
        changes: ScheduledChange[];
        windows: ScheduledWindow[];
      }>(
        `/changes/schedule${queryString({ from: from.toISOString(), to: to.toISOString(), ciId })}`,
      ),
  });
  const changes = schedule.data?.changes ?? [];
  const windows = schedule.data?.windows ?? [];
  const checked = changes.slice(0, CONFLICT_CHECKS);
  const reports = useQueries({
    queries: checked.map((change) => conflictsQuery(change.id)),
  });
  const groups = groupConflicts(
    reports.map((report) => report.data).filter((data): data is ChangeConflicts => !!data),
  );
  const kinds = conflictKindsByChange(groups);

  const items: Item[] = [
    ...windows.flatMap((window) =>
      window.occurrences.map((occurrence, index) => ({
        type: 'window' as const,
        id: `${window.id}#${index}`,
        start: Date.parse(occurrence.start),
        end: Date.parse(occurrence.end),
        window,
      })),
    ),
    ...changes.map((change) => ({
      type: 'change' as const,
      id: change.id,
      start: Date.parse(change.plannedStart),
      end: Date.parse(change.plannedEnd),
      change,
    })),
  ];
  const days = visibleDays(view, anchor);
  const placed = placeOnDays(items, days);
  const label =
    view === 'month' ? s.monthLabel(anchor) : s.weekLabel(days[0], days[days.length - 1]);

  return (
    <Stack>
      <Title order={1} size="h2">
        {s.title}
      </Title>
      <Group justify="space-between">
        <Group>
          <Button
            variant="default"
            onClick={() => go({ date: toDayParam(shiftAnchor(view, anchor, -1)) })}
          >
            {s.previous}
          </Button>
          <Button variant="default" onClick={() => go({ date: null })}>
            {s.today}
          </Button>
          <Button
            variant="default"
            onClick={() => go({ date: toDayParam(shiftAnchor(view, anchor, 1)) })}
          >
            {s.next}
          </Button>
          <Title order={2} size="h3" aria-live="polite" data-testid="calendar-label">
            {label}
          </Title>
        </Group>
        <SegmentedControl
          aria-label={s.view}
          value={view}
          onChange={(value) => go({ view: value === 'week' ? 'week' : null })}
          data={[
            { value: 'month', label: s.views.month },
            { value: 'week', label: s.views.week },
          ]}
        />
      </Group>
      <Group gap="md" aria-label={s.legend} role="group">
        <Text size="xs" fw={700}>
          {s.legend}:
        </Text>
        <Box px={4} style={changeStyle(false)}>
          <Text size="xs">{s.legendChange}</Text>
        </Box>
        <Box px={4} style={changeStyle(true)}>
          <Text size="xs">{s.legendConflict}</Text>
        </Box>
        <Box px={4} style={windowStyle({ kind: 'blackout' } as ScheduledWindow)}>
          <Text size="xs">{s.legendBlackout}</Text>
        </Box>
        <Box px={4} style={windowStyle({ kind: 'maintenance' } as ScheduledWindow)}>
          <Text size="xs">{s.legendMaintenance}</Text>
        </Box>
      </Group>
      {schedule.error && <Alert color="red">{schedule.error.message}</Alert>}
      <Text size="sm" data-testid="calendar-caption">
        {s.caption(label, changes.length, windows.length)}
      </Text>
      <Box aria-busy={schedule.isFetching}>
        {view === 'month' ? (
          <MonthGrid days={days} placed={placed} month={anchor.getMonth()} kinds={kinds} />
        ) : (
          <WeekGrid days={days} placed={placed} kinds={kinds} />
        )}
      </Box>
      <ConflictsCard
        groups={groups}
        numbers={new Map(changes.map((change) => [change.id, change.number]))}
        windows={new Map(windows.map((window) => [window.id, window]))}
        checking={reports.some((report) => report.isPending)}
        checked={checked.length}
        total={changes.length}
      />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {s.windowsTitle}
        </Title>
        {windows.length === 0 ? (
          <Text c="dimmed">{s.noWindows}</Text>
        ) : (
          <List spacing="xs">
            {windows.map((window) => (
              <List.Item key={window.id}>
                <WindowLabel window={window} />
                <Text size="xs">
                  {s.scope(
                    window.scope.ciIds.length,
                    window.scope.businessServiceIds.length,
                    window.scope.ciClasses.join(', '),
                  ) || s.scopeAll}
                  {' · '}
                  {window.occurrences
                    .map(
                      (occurrence) =>
                        `${formatDateTime(occurrence.start)} – ${formatDateTime(occurrence.end)}`,
                    )
                    .join('; ')}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Card>
      {changes.length > 0 && (
        <Card withBorder>
          <Table>
            <Table.Caption>{s.caption(label, changes.length, windows.length)}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {Object.values(t.changes.list.columns)
                  .slice(0, 5)
                  .map((column) => (
                    <Table.Th key={column}>{column}</Table.Th>
                  ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((change) => (
                <Table.Tr key={change.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/changes/${change.id}`}>
                      {change.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{change.title}</Table.Td>
                  <Table.Td>{t.changes.models[change.model] ?? change.model}</Table.Td>
                  <Table.Td>{t.changes.states[change.state] ?? change.state}</Table.Td>
                  <Table.Td>
                    <RiskBadge risk={change.risk} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
