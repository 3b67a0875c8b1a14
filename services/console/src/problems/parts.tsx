import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { apiRequest } from '../api/client';
import type { HistoryEntry, JournalEntry } from '../api/types';
import { PRIORITY_COLORS } from '../records/states';
import { t } from '../strings';
import { formatDateTime } from '../layout/date-time';

const p = t.problems.page;

export const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '–'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

export const when = (value: string | null | undefined): string =>
  value ? formatDateTime(value) : '–';

export function Field({
  label,
  value,
  testId,
}: {
  label: string;
  value: ReactNode;
  testId?: string;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text data-testid={testId}>
        {typeof value === 'string' || value === null ? show(value) : value}
      </Text>
    </div>
  );
}

/** A long text field, kept as written. */
export function TextBlock({
  label,
  value,
  testId,
}: {
  label: string;
  value: string | null;
  testId?: string;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }} data-testid={testId}>
        {show(value)}
      </Text>
    </div>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  return (
    <Badge color={PRIORITY_COLORS[priority] ?? 'gray.7'} variant="filled">
      {priority}
    </Badge>
  );
}

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <Badge variant="default" data-testid={testId}>
      {t.problems.states[state] ?? state}
    </Badge>
  );
}

/** Field changes, oldest first, as the API answers them. */
export function HistoryCard({ entries }: { entries: HistoryEntry[] | undefined }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {p.history}
      </Title>
      {entries?.length === 0 && <Text c="dimmed">{p.noHistory}</Text>}
      <Timeline bulletSize={12} lineWidth={2}>
        {(entries ?? []).map((entry, index) => (
          <Timeline.Item
            key={index}
            title={p.historyLine(entry.field, show(entry.oldValue), show(entry.newValue))}
          >
            <Text size="xs" c="dimmed">
              {entry.actor} · {when(entry.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

/** A problem's work notes and comments, newest first; those who work problems add to it. */
export function JournalCard({
  problemId,
  entries,
  mayWrite,
}: {
  problemId: string;
  entries: JournalEntry[] | undefined;
  mayWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'work_note' | 'comment'>('work_note');
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () =>
      apiRequest('POST', `/problems/${problemId}/journal`, { body: { kind, text } }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: ['problem', problemId, 'journal'] });
    },
  });
  const label = kind === 'work_note' ? p.workNote : p.comment;
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          {p.journal}
        </Title>
        {mayWrite && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim()) add.mutate();
            }}
          >
            <Stack gap="xs">
              <SegmentedControl
                aria-label={p.journal}
                value={kind}
                onChange={(value) => setKind(value)}
                data={[
                  { value: 'work_note', label: p.workNote },
                  { value: 'comment', label: p.comment },
                ]}
              />
              <Textarea
                label={label}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                autosize
                minRows={2}
              />
              {add.error && <Alert color="red">{add.error.message}</Alert>}
              <Group justify="flex-end">
                <Button type="submit" loading={add.isPending}>
                  {p.add}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {entries?.length === 0 && <Text c="dimmed">{p.noJournal}</Text>}
        <Stack gap="sm">
          {[...(entries ?? [])].reverse().map((entry) => (
            <Card
              key={entry.id}
              withBorder
              padding="sm"
              bg={entry.kind === 'work_note' ? 'var(--mantine-color-yellow-light)' : undefined}
            >
              <Text size="xs" c="dimmed">
                {entry.kind === 'work_note' ? p.workNote : p.comment} · {entry.author} ·{' '}
                {when(entry.at)}
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.text}</Text>
            </Card>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}
