import { Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import type { Page } from '../api/types';
import { t } from '../strings';
import type { RecordKind } from './record-kinds';
import { TONE_COLORS, useNow } from './sla-clock';
import { formatDuration, timerStatus, type SlaTimer } from './sla-timer-status';
import { formatDateTime } from '../layout/date-time';

function TimerLine({ timer, now }: { timer: SlaTimer; now: number }) {
  const status = timerStatus(timer, now);
  const s = t.sla;
  const remaining =
    status.remainingMs === undefined
      ? undefined
      : status.remainingMs >= 0
        ? s.left(formatDuration(status.remainingMs))
        : s.overdue(formatDuration(status.remainingMs));
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : '–');
  const detail =
    timer.state === 'paused'
      ? s.paused(timer.pauseReason ? (t.states[timer.pauseReason] ?? timer.pauseReason) : '')
      : timer.state === 'met'
        ? s.metAt(when(timer.stoppedAt))
        : timer.state === 'cancelled'
          ? s.cancelledAt(when(timer.stoppedAt))
          : timer.dueAt && s.due(when(timer.dueAt));
  const percent = Math.round(status.percentUsed);
  return (
    <Stack gap={4} data-testid="sla-timer">
      <Group justify="space-between">
        <Text fw={500}>
          {timer.slaName}{' '}
          <Text span size="sm" c="dimmed">
            {s.kinds[timer.kind]} · {s.targets[timer.target]}
          </Text>
        </Text>
        <Badge color={TONE_COLORS[status.tone]} variant="filled" data-testid="sla-state">
          {s.states[timer.state]}
        </Badge>
      </Group>
      <Group justify="space-between">
        <Text size="sm">{detail}</Text>
        {remaining && (
          // Not a live region: a screen reader would read it out every second.
          <Text size="sm" fw={700} data-testid="sla-remaining">
            {remaining}
          </Text>
        )}
      </Group>
      <Progress
        value={Math.min(percent, 100)}
        color={TONE_COLORS[status.tone]}
        aria-label={s.used(timer.slaName, percent)}
      />
    </Stack>
  );
}

/** A record's SLA and OLA timers (the slm service, through the gateway), counting down. */
export function SlaTimersCard({ kind, id }: { kind: RecordKind; id: string }) {
  const timers = useQuery({
    queryKey: [kind.type, id, 'sla-timers'],
    queryFn: () => apiGet<Page<SlaTimer>>(`/sla-timers?recordId=${id}&limit=50`),
    // The slm applies a record's events on its own time: a change heard live may not have
    // reached the timers yet when the record is read again.
    refetchInterval: 15_000,
  });
  const items = timers.data?.items ?? [];
  const now = useNow(items.some((timer) => timer.stoppedAt === null && timer.dueAt !== null));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t.sla.title}
      </Title>
      {timers.error && <Text c="red.9">{timers.error.message}</Text>}
      {timers.data && items.length === 0 && <Text c="dimmed">{t.sla.none}</Text>}
      <Stack>
        {items.map((timer) => (
          <TimerLine key={timer.id} timer={timer} now={now} />
        ))}
      </Stack>
    </Card>
  );
}
