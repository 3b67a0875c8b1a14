import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Card,
  Grid,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, apiGet, apiRequest } from '../api/client';
import type {
  HistoryEntry,
  ServiceRecord,
  JournalEntry,
  OpenTransitions,
  Page,
} from '../api/types';
import { useSession } from '../auth/session';
import { UpdatedElsewhere } from '../live/updated-elsewhere';
import { t } from '../strings';
import { mayComment, worksOn, type RecordKind } from './record-kinds';
import { LinkedCisCard } from './linked-cis-card';
import { RelatedRecordsCard } from './related-records-card';
import { SlaTimersCard } from './sla-timers-card';
import { MatchingKnownErrorsCard } from '../problems/matching-known-errors';
import { ASKED_FIELDS, HOLD_REASONS, PRIORITY_COLORS, RESOLUTION_CODES } from './states';
import type { TransitionField } from './states';
import { Loading } from '../layout/loading';
import { useShortcuts } from '../layout/use-shortcuts';
import { formatDateTime } from '../layout/date-time';

const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '–'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

function Field({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{show(value)}</Text>
    </div>
  );
}

function TransitionForm({
  kind,
  record,
  move: target,
  onClose,
}: {
  kind: RecordKind;
  record: ServiceRecord;
  move: OpenTransitions['transitions'][number];
  onClose: () => void;
}) {
  const to = target.to;
  const queryClient = useQueryClient();
  const session = useSession();
  const fields = ASKED_FIELDS.filter((field) => target.requires.includes(field));
  const [values, setValues] = useState<Partial<Record<TransitionField, string>>>({
    assignmentGroup: session.me?.groups[0] ?? '',
  });
  // Taking up unassigned work assigns it to whoever takes it, if the group is theirs.
  const group = fields.includes('assignmentGroup')
    ? values.assignmentGroup
    : record.assignmentGroup;
  const mayTakeIt =
    target.accepts.includes('assignee') &&
    record.assignee === null &&
    session.me !== undefined &&
    group !== undefined &&
    group !== null &&
    session.me.groups.includes(group);
  const [assignToMe, setAssignToMe] = useState(true);
  const move = useMutation({
    mutationFn: () => {
      const body: Record<string, string> = { to };
      for (const field of fields) if (values[field]) body[field] = values[field];
      if (mayTakeIt && assignToMe && session.me) body.assignee = session.me.username;
      return apiRequest<ServiceRecord>('POST', `/${kind.collection}/${record.id}/transitions`, {
        body,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [kind.type, record.id] });
      await queryClient.invalidateQueries({ queryKey: [kind.collection] });
      onClose();
    },
    // A 409 means the record moved on meanwhile: read what is open now.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409)
        void queryClient.invalidateQueries({ queryKey: [kind.type, record.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate();
  };
  const set = (field: TransitionField) => (value: string | null) =>
    setValues({ ...values, [field]: value ?? '' });
  const label = t.states[to] ?? to;
  return (
    <Modal
      opened
      onClose={() => onClose()}
      title={t.record.transitionTitle(label)}
      closeButtonProps={{ 'aria-label': t.record.cancel }}
    >
      <form onSubmit={submit}>
        <Stack>
          {move.error && <Alert color="red">{move.error.message}</Alert>}
          {fields.includes('assignmentGroup') && (
            <TextInput
              label={t.record.field.assignmentGroup}
              required
              value={values.assignmentGroup ?? ''}
              onChange={(event) => set('assignmentGroup')(event.currentTarget.value)}
            />
          )}
          {mayTakeIt && (
            <Checkbox
              label={t.record.assignToMe}
              checked={assignToMe}
              onChange={(event) => setAssignToMe(event.currentTarget.checked)}
            />
          )}
          {fields.includes('holdReason') && (
            <Select
              label={t.record.field.holdReason}
              required
              data={HOLD_REASONS}
              value={values.holdReason ?? null}
              onChange={set('holdReason')}
            />
          )}
          {fields.includes('resolutionCode') && (
            <Select
              label={t.record.field.resolutionCode}
              required
              data={RESOLUTION_CODES}
              value={values.resolutionCode ?? null}
              onChange={set('resolutionCode')}
            />
          )}
          {fields.includes('resolutionNotes') && (
            <Textarea
              label={t.record.field.resolutionNotes}
              required
              value={values.resolutionNotes ?? ''}
              onChange={(event) => set('resolutionNotes')(event.currentTarget.value)}
            />
          )}
          {fields.includes('reason') && (
            <Textarea
              label={t.record.field.reason}
              required
              value={values.reason ?? ''}
              onChange={(event) => set('reason')(event.currentTarget.value)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              {t.record.cancel}
            </Button>
            <Button type="submit" loading={move.isPending}>
              {t.record.confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function JournalCard({
  kind,
  record,
  textBox,
}: {
  kind: RecordKind;
  record: ServiceRecord;
  /** The text box, for the `c` shortcut. */
  textBox: RefObject<HTMLTextAreaElement | null>;
}) {
  const session = useSession();
  const queryClient = useQueryClient();
  const canNote = worksOn(session, kind);
  const path = `/${kind.collection}/${record.id}/journal`;
  const [entryKind, setEntryKind] = useState<'work_note' | 'comment'>(
    canNote ? 'work_note' : 'comment',
  );
  const [text, setText] = useState('');
  const journal = useQuery({
    queryKey: [kind.type, record.id, 'journal'],
    queryFn: () => apiGet<Page<JournalEntry>>(`${path}?limit=200`),
  });
  const add = useMutation({
    mutationFn: () => apiRequest('POST', path, { body: { kind: entryKind, text } }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: [kind.type, record.id, 'journal'] });
    },
  });
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          {t.record.journal}
        </Title>
        {mayComment(session, kind) && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim()) add.mutate();
            }}
          >
            <Stack gap="xs">
              {canNote && (
                <SegmentedControl
                  aria-label={t.record.journal}
                  value={entryKind}
                  onChange={(value) => setEntryKind(value)}
                  data={[
                    { value: 'work_note', label: t.record.workNote },
                    { value: 'comment', label: t.record.comment },
                  ]}
                />
              )}
              <Textarea
                ref={textBox}
                aria-keyshortcuts="c"
                label={entryKind === 'work_note' ? t.record.workNote : t.record.comment}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                autosize
                minRows={2}
              />
              {add.error && <Alert color="red">{add.error.message}</Alert>}
              <Group justify="flex-end">
                <Button type="submit" loading={add.isPending}>
                  {t.record.add}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {journal.data?.items.length === 0 && <Text c="dimmed">{t.record.noJournal}</Text>}
        <Stack gap="sm">
          {[...(journal.data?.items ?? [])].reverse().map((entry) => (
            <Card
              key={entry.id}
              withBorder
              padding="sm"
              bg={entry.kind === 'work_note' ? 'var(--mantine-color-yellow-light)' : undefined}
            >
              <Text size="xs" c="dimmed">
                {entry.kind === 'work_note' ? t.record.workNote : t.record.comment} · {entry.author}{' '}
                · {formatDateTime(entry.at)}
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.text}</Text>
            </Card>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}

function HistoryCard({ kind, id }: { kind: RecordKind; id: string }) {
  const history = useQuery({
    queryKey: [kind.type, id, 'history'],
    queryFn: () => apiGet<Page<HistoryEntry>>(`/${kind.collection}/${id}/history?limit=200`),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t.record.history}
      </Title>
      {history.data?.items.length === 0 && <Text c="dimmed">{t.record.noHistory}</Text>}
      <Timeline bulletSize={12} lineWidth={2}>
        {(history.data?.items ?? []).map((entry, index) => (
          <Timeline.Item
            key={index}
            title={t.record.historyLine(entry.field, show(entry.oldValue), show(entry.newValue))}
          >
            <Text size="xs" c="dimmed">
              {entry.actor} · {formatDateTime(entry.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

/** One incident or request: its fields, the moves open from here, journal and history. */
export function RecordPage({ kind }: { kind: RecordKind }) {
  const { id = '' } = useParams();
  const session = useSession();
  const [moving, setMoving] = useState<string>();
  // `c` writes in the journal, `a` goes to the state actions (t.shortcuts).
  const journalBox = useRef<HTMLTextAreaElement>(null);
  const actionsCard = useRef<HTMLDivElement>(null);
  useShortcuts([
    ['c', () => (journalBox.current ? journalBox.current.focus() : false)],
    [
      'a',
      (): void | false => {
        const card = actionsCard.current;
        if (!card) return false;
        card.scrollIntoView({ block: 'nearest' });
        card.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
      },
    ],
  ]);
  const record = useQuery({
    queryKey: [kind.type, id],
    queryFn: () => apiGet<ServiceRecord>(`/${kind.collection}/${id}`),
  });
  const works = worksOn(session, kind);
  const open = useQuery({
    queryKey: [kind.type, id, 'transitions', record.data?.version],
    queryFn: () => apiGet<OpenTransitions>(`/${kind.collection}/${id}/transitions`),
    enabled: works && record.data !== undefined,
  });
  if (record.isPending) return <Loading />;
  if (record.error) {
    return (
      <Alert color="red">
        {record.error instanceof ApiError && record.error.status === 404
          ? kind.words.notFound
          : record.error.message}
      </Alert>
    );
  }
  const current = record.data;
  const moves = works && open.data?.state === current.state ? open.data.transitions : [];
  const moveOf = moves.find((move) => move.to === moving);
  const f = t.record.field;
  const showsCis = current.ciIds.length > 0 && session.can('cmdb:read');
  return (
    <Stack>
      <Anchor component={Link} to={`${works ? '/queue' : '/my'}?type=${kind.type}`} size="sm">
        {t.record.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {current.number} · {current.title}
        </Title>
        <Badge color={PRIORITY_COLORS[current.priority] ?? 'gray.7'} variant="filled">
          {current.priority}
        </Badge>
        <Badge variant="default" data-testid="record-state">
          {t.states[current.state] ?? current.state}
        </Badge>
      </Group>
      <UpdatedElsewhere
        recordType={kind.type}
        id={id}
        stateLabel={(state) => t.states[state] ?? state}
      />
      <Card withBorder ref={actionsCard} style={{ scrollMarginTop: 72 }}>
        <Title order={2} size="h4" mb="sm">
          {t.record.actions}
        </Title>
        {moves.length === 0 ? (
          <Text c="dimmed">{t.record.noActions}</Text>
        ) : (
          <Group>
            {moves.map(({ to }) => (
              <Button
                key={to}
                variant="default"
                aria-keyshortcuts={to === moves[0]?.to ? 'a' : undefined}
                onClick={() => setMoving(to)}
              >
                {t.record.moveTo(t.states[to] ?? to)}
              </Button>
            ))}
          </Group>
        )}
      </Card>
      {moveOf && (
        <TransitionForm
          kind={kind}
          record={current}
          move={moveOf}
          onClose={() => setMoving(undefined)}
        />
      )}
      {session.can('sla:read') && <SlaTimersCard kind={kind} id={current.id} />}
      {kind.type === 'incident' && (
        <MatchingKnownErrorsCard incidentId={current.id} number={current.number} />
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t.record.fields}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Field label={f.state} value={t.states[current.state] ?? current.state} />
          <Field label={f.priority} value={current.priority} />
          <Field label={f.impact} value={current.impact} />
          <Field label={f.urgency} value={current.urgency} />
          <Field label={f.requester} value={current.requester} />
          <Field label={f.assignmentGroup} value={current.assignmentGroup} />
          <Field label={f.assignee} value={current.assignee} />
          {kind.type === 'request' ? (
            <Field label={f.catalogItem} value={current.catalogItem} />
          ) : (
            <Field label={f.category} value={current.category} />
          )}
          <Field label={f.openedAt} value={formatDateTime(current.openedAt)} />
          <Field label={f.updatedAt} value={formatDateTime(current.updatedAt)} />
          {kind.type === 'incident' && (
            <>
              <Field label={f.holdReason} value={current.holdReason} />
              <Field label={f.resolutionCode} value={current.resolutionCode} />
            </>
          )}
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="md">
          {f.description}
        </Text>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{current.description}</Text>
      </Card>
      {(showsCis || works) && (
        <Grid>
          {showsCis && (
            <Grid.Col span={{ base: 12, md: 6 }}>
              <LinkedCisCard record={current} />
            </Grid.Col>
          )}
          {works && (
            <Grid.Col span={{ base: 12, md: 6 }}>
              <RelatedRecordsCard kind={kind} record={current} />
            </Grid.Col>
          )}
        </Grid>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <JournalCard kind={kind} record={current} textBox={journalBox} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <HistoryCard kind={kind} id={current.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
