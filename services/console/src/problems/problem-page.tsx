import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import { useSession } from '../auth/session';
import { Loading } from '../layout/loading';
import { UpdatedElsewhere } from '../live/updated-elsewhere';
import { t } from '../strings';
import { LinkedIncidentsCard } from './linked-incidents-card';
import {
  Field,
  HistoryCard,
  JournalCard,
  PriorityBadge,
  StateBadge,
  TextBlock,
  when,
} from './parts';
import {
  FIX_RESOLUTIONS,
  initialValues,
  missingFields,
  problemMoves,
  transitionBody,
  type MoveField,
  type MoveValues,
  type ProblemMove,
} from './problem-moves';
import {
  useOpenProblems,
  useProblem,
  useProblemHistory,
  useProblemRefresh,
  useProblemJournal,
  useProblemKnownErrors,
  useProblemTransitions,
} from './problems-api';
import type { ProblemRecord } from './types';

const p = t.problems.page;
const f = t.problems.field;
const LONG_FIELDS: readonly MoveField[] = [
  'causeNotes',
  'fixNotes',
  'workaround',
  'resolutionNotes',
  'reason',
];

/** A refusal because the problem moved on: read it again. */
const movedOn = (error: unknown) =>
  error instanceof ApiError && (error.status === 409 || error.status === 412);

/** The original of a duplicate: an open problem, found by number or words. */
function DuplicatePicker({
  problem,
  value,
  onChange,
}: {
  problem: ProblemRecord;
  value: string | undefined;
  onChange: (value: string) => void;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const open = useOpenProblems(q);
  const data = (open.data?.items ?? [])
    .filter((other) => other.id !== problem.id)
    .map((other) => ({ value: other.id, label: `${other.number} · ${other.title}` }));
  return (
    <Select
      label={f.duplicateOfId}
      description={p.duplicateSearch}
      required
      searchable
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      data={data}
      value={value ?? null}
      onChange={(picked) => onChange(picked ?? '')}
    />
  );
}

function MoveDialog({
  problem,
  move,
  onClose,
}: {
  problem: ProblemRecord;
  move: ProblemMove;
  onClose: () => void;
}) {
  const refresh = useProblemRefresh(problem.id);
  const [values, setValues] = useState<MoveValues>(() => initialValues(problem, move));
  const missing = missingFields(move, values);
  const send = useMutation({
    mutationFn: () =>
      apiRequest<ProblemRecord>('POST', `/problems/${problem.id}/transitions`, {
        body: transitionBody(problem, move, values),
        headers: { 'if-match': `"${problem.version}"` },
      }),
    onSuccess: async () => {
      await refresh();
      onClose();
    },
    onError: (error) => {
      if (movedOn(error)) void refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (missing.length === 0 && !send.isPending) send.mutate();
  };
  const set = (field: MoveField) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  const title = t.problems.actions[move.action] ?? move.to;
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': p.cancel }}>
      <form onSubmit={submit}>
        <Stack>
          {send.error && (
            <Alert color="red">
              {send.error.message}
              {movedOn(send.error) ? ` ${p.movedOn}` : ''}
            </Alert>
          )}
          {move.fields.map((field) => {
            const required = missingFields(move, {}).includes(field) || missing.includes(field);
            if (field === 'duplicateOfId')
              return (
                <DuplicatePicker
                  key={field}
                  problem={problem}
                  value={values.duplicateOfId}
                  onChange={set(field)}
                />
              );
            if (field === 'resolutionCode')
              return (
                <Select
                  key={field}
                  label={f.resolutionCode}
                  allowDeselect={false}
                  data={FIX_RESOLUTIONS.map((code) => ({
                    value: code,
                    label: t.problems.resolutions[code] ?? code,
                  }))}
                  value={values.resolutionCode ?? null}
                  onChange={(value) => set(field)(value ?? '')}
                />
              );
            const props = {
              label: f[field],
              required,
              value: values[field] ?? '',
              onChange: (event: { currentTarget: { value: string } }) =>
                set(field)(event.currentTarget.value),
            };
            return LONG_FIELDS.includes(field) ? (
              <Textarea key={field} autosize minRows={2} {...props} />
            ) : (
              <TextInput key={field} maxLength={100} {...props} />
            );
          })}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {p.cancel}
            </Button>
            <Button type="submit" loading={send.isPending} disabled={missing.length > 0}>
              {p.confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Puts the workaround (or the fix) as a work note on every open incident linked to the problem. */
function CommunicateButtons({ problem }: { problem: ProblemRecord }) {
  const refresh = useProblemRefresh(problem.id);
  const send = useMutation({
    mutationFn: (kind: 'workaround' | 'fix') =>
      apiRequest<{ kind: string; openIncidentCount: number }>(
        'POST',
        `/problems/${problem.id}/communications`,
        { body: { kind } },
      ),
    onSuccess: refresh,
  });
  if (problem.incidentCount === 0) return null;
  return (
    <Stack gap="xs">
      <Group>
        {problem.workaround && (
          <Button
            variant="default"
            size="xs"
            loading={send.isPending && send.variables === 'workaround'}
            onClick={() => send.mutate('workaround')}
          >
            {p.communicateWorkaround}
          </Button>
        )}
        {problem.fixNotes && (
          <Button
            variant="default"
            size="xs"
            loading={send.isPending && send.variables === 'fix'}
            onClick={() => send.mutate('fix')}
          >
            {p.communicateFix}
          </Button>
        )}
      </Group>
      {send.data && (
        <Text size="sm" role="status">
          {p.communicated(send.data.body.openIncidentCount)}
        </Text>
      )}
      {send.error && <Alert color="red">{send.error.message}</Alert>}
    </Stack>
  );
}

const ANALYSIS_FIELDS = ['causeNotes', 'fixNotes', 'workaround'] as const;
type AnalysisField = (typeof ANALYSIS_FIELDS)[number];

/** Root cause, fix and workaround; those who work problems change them (`PATCH`, `If-Match`). */
function AnalysisCard({ problem, mayWrite }: { problem: ProblemRecord; mayWrite: boolean }) {
  const refresh = useProblemRefresh(problem.id);
  const [editing, setEditing] = useState<Record<AnalysisField, string>>();
  const save = useMutation({
    mutationFn: (values: Record<AnalysisField, string>) => {
      const body: Partial<Record<AnalysisField, string | null>> = {};
      for (const field of ANALYSIS_FIELDS) {
        const value = values[field].trim();
        if (value !== (problem[field] ?? '')) body[field] = value || null;
      }
      return apiRequest<ProblemRecord>('PATCH', `/problems/${problem.id}`, {
        body,
        headers: { 'if-match': `"${problem.version}"` },
      });
    },
    onSuccess: async () => {
      setEditing(undefined);
      await refresh();
    },
    onError: (error) => {
      if (movedOn(error)) void refresh();
    },
  });
  const final = problem.state === 'closed' || problem.state === 'cancelled';
  return (
    <Card withBorder data-testid="problem-analysis">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {p.analysis}
        </Title>
        {mayWrite && !final && !editing && (
          <Button
            variant="default"
            size="xs"
            onClick={() =>
              setEditing({
                causeNotes: problem.causeNotes ?? '',
                fixNotes: problem.fixNotes ?? '',
                workaround: problem.workaround ?? '',
              })
            }
          >
            {p.edit}
          </Button>
        )}
      </Group>
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(editing);
          }}
        >
          <Stack>
            {save.error && (
              <Alert color="red">
                {save.error.message}
                {movedOn(save.error) ? ` ${p.movedOn}` : ''}
              </Alert>
            )}
            {ANALYSIS_FIELDS.map((field) => (
              <Textarea
                key={field}
                label={f[field]}
                autosize
                minRows={2}
                value={editing[field]}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setEditing((current) => current && { ...current, [field]: value });
                }}
              />
            ))}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(undefined)}>
                {p.cancel}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {p.save}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack>
          <TextBlock label={f.causeNotes} value={problem.causeNotes} testId="problem-cause" />
          <TextBlock label={f.fixNotes} value={problem.fixNotes} />
          <TextBlock label={f.workaround} value={problem.workaround} testId="problem-workaround" />
          {mayWrite && !final && <CommunicateButtons problem={problem} />}
          {problem.resolutionCode && (
            <TextBlock
              label={f.resolutionCode}
              value={`${t.problems.resolutions[problem.resolutionCode] ?? problem.resolutionCode}${
                problem.resolutionNotes ? `: ${problem.resolutionNotes}` : ''
              }`}
            />
          )}
        </Stack>
      )}
    </Card>
  );
}

function KnownErrorsCard({ problem, mayWrite }: { problem: ProblemRecord; mayWrite: boolean }) {
  const knownErrors = useProblemKnownErrors(problem.id);
  const items = knownErrors.data?.items ?? [];
  return (
    <Card withBorder data-testid="problem-known-errors">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {p.knownErrors}
        </Title>
        {mayWrite && (
          <Button
            component={Link}
            to={`/known-errors/new?problemId=${problem.id}`}
            variant="default"
            size="xs"
          >
            {p.recordKnownError}
          </Button>
        )}
      </Group>
      {knownErrors.error && <Alert color="red">{knownErrors.error.message}</Alert>}
      {knownErrors.isSuccess && items.length === 0 && <Text c="dimmed">{p.noKnownErrors}</Text>}
      <Stack gap="xs">
        {items.map((knownError) => (
          <div key={knownError.id}>
            <Anchor component={Link} to={`/known-errors/${knownError.id}`}>
              {knownError.number} · {knownError.title}
            </Anchor>
            {knownError.workaround && (
              <Text size="sm" lineClamp={2} style={{ whiteSpace: 'pre-wrap' }}>
                {knownError.workaround}
              </Text>
            )}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

/** `/problems/:id`: fields, the moves open, analysis, incidents, known errors, journal, history. */
export function ProblemPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const problem = useProblem(id);
  const mayWrite = session.can('problem:write');
  const open = useProblemTransitions(id, problem.data?.version, mayWrite);
  const [moving, setMoving] = useState<ProblemMove>();
  const journal = useProblemJournal(id);
  const history = useProblemHistory(id, problem.data?.version ?? 0);
  if (problem.isPending) return <Loading />;
  if (problem.error) {
    return (
      <Alert color="red">
        {problem.error instanceof ApiError && problem.error.status === 404
          ? p.notFound
          : problem.error.message}
      </Alert>
    );
  }
  const current = problem.data;
  const moves = mayWrite ? problemMoves(current, open.data) : [];
  const byAt = (who: string | null, at: string | null) => (at ? f.byAt(who, when(at)) : null);
  return (
    <Stack>
      <Anchor component={Link} to="/problems" size="sm">
        {p.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {current.number} · {current.title}
        </Title>
        <PriorityBadge priority={current.priority} />
        <StateBadge state={current.state} testId="problem-state" />
      </Group>
      <UpdatedElsewhere
        recordType="problem"
        id={id}
        stateLabel={(state) => t.problems.states[state] ?? state}
      />
      {mayWrite && (
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {p.actions}
          </Title>
          {moves.length === 0 ? (
            <Text c="dimmed">{p.noActions}</Text>
          ) : (
            <Group>
              {moves.map((move) => (
                <Button
                  key={move.action}
                  variant={move.action === 'cancel' ? 'subtle' : 'default'}
                  color={move.action === 'cancel' ? 'red' : undefined}
                  onClick={() => setMoving(move)}
                >
                  {t.problems.actions[move.action] ?? move.to}
                </Button>
              ))}
            </Group>
          )}
        </Card>
      )}
      {moving && (
        <MoveDialog
          key={`${moving.action}-${current.version}`}
          problem={current}
          move={moving}
          onClose={() => setMoving(undefined)}
        />
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {p.fields}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Field label={f.state} value={t.problems.states[current.state] ?? current.state} />
          <Field label={f.priority} value={current.priority} />
          <Field label={f.impact} value={String(current.impact)} />
          <Field label={f.urgency} value={String(current.urgency)} />
          <Field label={f.category} value={current.category} />
          <Field label={f.subcategory} value={current.subcategory} />
          <Field label={f.assignmentGroup} value={current.assignmentGroup} />
          <Field label={f.assignee} value={current.assignee} />
          <Field label={f.source} value={t.problems.sources[current.source] ?? current.source} />
          <Field label={f.openedAt} value={byAt(current.openedBy, current.openedAt)} />
          <Field label={f.confirmedAt} value={byAt(current.confirmedBy, current.confirmedAt)} />
          <Field
            label={f.rootCauseIdentifiedAt}
            value={byAt(current.rootCauseIdentifiedBy, current.rootCauseIdentifiedAt)}
          />
          <Field label={f.resolvedAt} value={byAt(current.resolvedBy, current.resolvedAt)} />
          <Field label={f.closedAt} value={byAt(current.closedBy, current.closedAt)} />
          <Field label={f.updatedAt} value={when(current.updatedAt)} />
          <Field label={f.reanalysisCount} value={String(current.reanalysisCount)} />
          {current.duplicateOfId && (
            <Field
              label={f.duplicateOfId}
              value={
                <Anchor component={Link} to={`/problems/${current.duplicateOfId}`}>
                  {current.duplicateOfId}
                </Anchor>
              }
            />
          )}
        </SimpleGrid>
        {current.candidateReason && (
          <TextBlock label={f.candidateReason} value={current.candidateReason} />
        )}
        <Text size="xs" c="dimmed" mt="md">
          {f.description}
        </Text>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{current.description}</Text>
      </Card>
      <AnalysisCard problem={current} mayWrite={mayWrite} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <LinkedIncidentsCard problem={current} mayWrite={mayWrite} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <KnownErrorsCard problem={current} mayWrite={mayWrite} />
        </Grid.Col>
      </Grid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <JournalCard problemId={current.id} entries={journal.data?.items} mayWrite={mayWrite} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <HistoryCard entries={history.data?.items} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
